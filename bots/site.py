"""pywikibot on the tool's configuration: the home wiki as a site, and the bot logged in to it.

The site is built from the wiki registry's API address (an ``AutoFamily``), so the same code writes
to the local farm and to Meta-Wiki: only the configuration differs (FARM, HOME_WIKI). The account
is the tool's bot (BOT_USERNAME and BOT_PASSWORD, a bot password; on the farm, the farm's bot),
given to pywikibot's login directly: no password file, nothing secret on disk but pywikibot's own
session cookie in its folder (bots.folder).
"""

from __future__ import annotations

import pywikibot
from pywikibot import config
from pywikibot.exceptions import APIError, NoUsernameError
from pywikibot.login import ClientLoginManager
from pywikibot.site import APISite

from tool import __version__, messages
from tool.runtime import BotLoginFailed, Runtime

#: Seconds of replication lag at which the wiki asks bots to wait (API etiquette; pywikibot waits).
MAXLAG = 5


class NoBotAccount(Exception):
    """Writing needs the bot's account, and the configuration names none."""


def configure(rt: Runtime) -> None:
    """pywikibot's settings from the tool's configuration, before any site is made.

    The home wiki is pywikibot's default site: a family named for it (its dbname), made from its
    API address (``family_files`` with a URL makes an AutoFamily), with the bot's account name.
    """
    home = rt.registry.home
    config.family_files[home] = rt.registry.info(home).api
    config.family = config.mylang = home
    if rt.bot_account is not None:
        # A bot password's "Account@label" logs in as Account: pywikibot checks it is that user.
        config.usernames[home][home] = rt.bot_account[0].split("@", 1)[0]
    config.maxlag = MAXLAG
    config.put_throttle = float(rt.config["BOT_EDIT_INTERVAL"])
    # Wikimedia's User-Agent policy: say who runs the bot and how to reach them.
    config.user_agent_description = f"event-outcomes/{__version__}; {rt.config['CONTACT']}"


def login(rt: Runtime) -> APISite:
    """The home wiki, logged in as the tool's bot (BotLoginFailed when the wiki refuses it).

    After ``configure``: pywikibot's default site is the home wiki.
    """
    if rt.bot_account is None:
        raise NoBotAccount(messages.text("bot-no-account"))
    login_name, password = rt.bot_account
    home = rt.registry.home
    site = pywikibot.Site()  # the home wiki (configure)
    try:
        site.login(cookie_only=True)  # the session of an earlier run, when the wiki kept it
        if not site.logged_in():
            # retry=False: on a refused password pywikibot would otherwise ask for one at the prompt.
            ClientLoginManager(password=password, site=site, user=login_name).login(retry=False)
            site.login(cookie_only=True)
    except (APIError, NoUsernameError) as e:
        raise _refused(home, login_name, str(e)) from e
    if not site.logged_in():
        raise _refused(home, login_name, messages.text("bot-login-not-kept"))
    return site


def _refused(wiki: str, account: str, reason: str) -> BotLoginFailed:
    return BotLoginFailed(messages.text("cli-bot-login-failed", wiki=wiki, account=account, reason=reason))
