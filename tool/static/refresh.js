/*
 * The event page's refresh under way, kept up to date without reloading the page
 * (tool/web/refresh.py). The server says everything in the reader's language: this script only
 * moves its words and numbers into the page, and reloads the page once the refresh has ended, to
 * show the new outcomes or why there are none. Without JavaScript, a reload does the same.
 */
( function () {
	'use strict';

	var POLL_MS = 2000;
	var box = document.querySelector( '.eo-refresh__status[data-status-url]' );
	if ( !box ) {
		return;
	}
	var text = box.querySelector( '.eo-refresh__text' );
	var bar = box.querySelector( '.eo-refresh__bar' );
	var detail = box.querySelector( '.eo-refresh__detail' );
	var reload = box.querySelector( '.eo-refresh__reload' );
	if ( reload ) {
		reload.hidden = true; // this script does what the link asks the reader to do
	}

	function show( status ) {
		text.textContent = status.text;
		if ( status.total > 0 ) {
			bar.max = status.total;
			bar.value = status.done;
		}
		detail.textContent = status.detail || '';
		detail.hidden = !status.detail;
	}

	function poll() {
		fetch( box.getAttribute( 'data-status-url' ), {
			headers: { Accept: 'application/json' },
			credentials: 'same-origin'
		} ).then( function ( response ) {
			if ( !response.ok ) {
				throw new Error( 'HTTP ' + response.status );
			}
			return response.json();
		} ).then( function ( status ) {
			if ( status.active ) {
				show( status );
				window.setTimeout( poll, POLL_MS );
			} else {
				window.location.reload();
			}
		} ).catch( function () {
			// The tool cannot be reached now: offer the reload the page shows without JavaScript.
			if ( reload ) {
				reload.hidden = false;
			}
		} );
	}

	window.setTimeout( poll, POLL_MS );
}() );
