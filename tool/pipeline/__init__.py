"""The pipeline: what the web, the command line and the bots run, one step per module.

    discover ──▶ resolve ──▶ sync ──▶ evaluate ──▶ snapshot

- discover (``discover.py``): find the event and cohort pages, parse the changed ones, store them.
- resolve (``discover.py`` while storing an event, ``refresh.py`` before a sync): read participants
  pages and registrations, check the accounts once and store what was learned.
- sync (``sync.py``): fetch the participants' contributions the store does not hold yet.
- evaluate (``evaluate.py``): count the outcomes from the records already stored.
- snapshot (``refresh.py``): refresh = resolve, sync, evaluate, then keep a snapshot of the figures.
"""
