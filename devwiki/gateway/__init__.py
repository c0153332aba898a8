"""The farm's OAuth 1.0a gateway: MediaWiki's Special:OAuth for wikis that lack the extension.

Debian's MediaWiki has no OAuth extension, so the farm runs this small server beside its wikis
(DESIGN §11). It speaks what mwoauth and requests-oauthlib expect of Special:OAuth — initiate,
authorize (a consent page where the developer picks a farm account), token, identify (a JWT,
HS256 with the consumer secret) — and passes OAuth-signed ``api.php`` requests on to a farm
wiki, logged in there as the account that authorized the token.

  tokens.py    the consumer, request and access tokens, nonces; the oauthlib validator over them
  accounts.py  the farm accounts one can pick, and their logged-in sessions on the farm's wikis
  app.py       the HTTP endpoints
"""
