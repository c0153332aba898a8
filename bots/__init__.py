"""pywikibot jobs: the nightly outcomes writer (DESIGN §8).

pywikibot reads its folder (PYWIKIBOT_DIR) once, when it is first imported, and writes its cookies,
throttle file and logs there. So this package points it at the tool's own folder before any of its
modules imports pywikibot: the instance folder's ``pywikibot/``, never the checkout, never a
user's own ``~/.pywikibot`` (bots.folder).
"""

from bots.folder import prepare

prepare()
