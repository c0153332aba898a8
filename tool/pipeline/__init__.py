"""The pipeline: what the web, the command line and the bots run, one step per module.

    parse ──▶ resolve ──▶ store ──▶ refresh (sync ──▶ evaluate) ──▶ snapshot

Data flows one way: each step takes what the one before returned or stored and never changes it.

- parse (``tool.wiki.eventpage``, ``tool.wiki.cohortpage``): a page's text into a frozen result,
  pure — no I/O. ``discover.py`` finds the event and cohort pages and parses the changed ones.
- resolve (``resolve.py``): what the wikis say about an event's people beyond its page — the
  participants page, the CampaignEvents registration, the accounts (each wiki, CentralAuth) —
  asked once and stored. Discovery resolves each event it parses; refresh resolves only what is
  still open (names not checked yet, registration dates not stored).
- store (``discover.py`` into ``tool.store``): the page, its problems and its people.
- refresh (``refresh.py``): resolve what is open, then sync (``sync.py``: the participants'
  contributions the store does not hold yet), then evaluate (``evaluate.py``: the outcomes from
  the records already loaded).
- snapshot (``refresh.py``): the figures kept with their problems; the web and the CLI show these.
"""
