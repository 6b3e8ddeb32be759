/* global document, window, fetch, setTimeout, DOMParser */

/*
 * On the page shown while a file is read in the background: checks again every few seconds and
 * shows the preview as soon as the reading is over. Between checks it only updates how long the
 * file has been read. Without this script the page's "Check again" link does the same by hand.
 */

const tag = document.querySelector('script[data-check-seconds]');
const pauseMs = Math.max(1, Number(tag ? tag.getAttribute('data-check-seconds') : 2) || 2) * 1000;
const elapsed = document.getElementById('reading-elapsed');

function later(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function check() {
  // The server waits a few seconds for the reading to end before it answers.
  const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  // Whatever else the server says (signed out, not found) is shown as it is.
  if (!response.ok) return true;
  const page = new DOMParser().parseFromString(await response.text(), 'text/html');
  const stillReading = page.getElementById('reading-elapsed');
  if (!stillReading) return true;
  if (elapsed) elapsed.textContent = stillReading.textContent;
  return false;
}

async function keepChecking() {
  for (;;) {
    await later(pauseMs);
    let done = false;
    try {
      done = await check();
    } catch {
      // The network failed for a moment: try again after the pause.
    }
    if (done) {
      window.location.reload();
      return;
    }
  }
}

if (elapsed) void keepChecking();
