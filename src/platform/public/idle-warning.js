/* global document, window, localStorage, fetch, setTimeout, clearTimeout */

/*
 * Warns a signed-in person before their session ends for want of use, and lets them stay
 * signed in. Pages work the same without it: a form sent after the session ended is kept and
 * put back once the person signs in again.
 *
 * The layout gives the idle limit in minutes (data-idle-minutes on this script's tag). Every
 * page of Clasp open in this browser notes when it was loaded, so a page left open in one tab
 * does not warn while the person is using another.
 */

const LAST_ACTIVE = 'clasp-last-active';
const MINUTE = 60_000;

const tag = document.querySelector('script[data-idle-minutes]');
const idleMinutes = Number(tag ? tag.getAttribute('data-idle-minutes') : 0);
const main = document.getElementById('maincontent');
if (idleMinutes > 0 && main) watchIdleTime(idleMinutes * MINUTE, main);

/** When anything in this browser last used Clasp, as far as pages have noted it. */
function readLastActive(fallback) {
  try {
    return Math.max(Number(localStorage.getItem(LAST_ACTIVE)) || 0, fallback);
  } catch {
    return fallback;
  }
}

function noteActive(at) {
  try {
    localStorage.setItem(LAST_ACTIVE, String(at));
  } catch {
    // Storage turned off: this page keeps its own time.
  }
}

function element(name, attributes, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

function watchIdleTime(limit, main) {
  // The server notes use at most once a minute, so the warning comes a minute early to be safe.
  const warnBefore = Math.min(5 * MINUTE, limit / 2) + Math.min(MINUTE, limit / 4);
  let lastActive = Date.now();
  let timer = null;
  let banner = null;
  let focusedBefore = null;
  noteActive(lastActive);

  function schedule() {
    if (timer) clearTimeout(timer);
    lastActive = readLastActive(lastActive);
    const now = Date.now();
    const endsAt = lastActive + limit;
    const warnAt = endsAt - warnBefore;
    if (now >= endsAt) {
      show('ended');
      return;
    }
    if (now >= warnAt) show('warning');
    else hide();
    timer = setTimeout(schedule, (now >= warnAt ? endsAt : warnAt) - now + 1000);
  }

  function hide() {
    if (!banner) return;
    const hadFocus = banner.contains(document.activeElement);
    banner.remove();
    banner = null;
    if (hadFocus && focusedBefore && document.body.contains(focusedBefore)) focusedBefore.focus();
  }

  function show(state) {
    if (banner && banner.dataset.state === state) return;
    if (!banner) focusedBefore = document.activeElement;
    const next = element('div', {
      class: 'nhsuk-notification-banner',
      role: 'alert',
      'aria-labelledby': 'idle-warning-title',
      'data-state': state,
    });
    const header = element('div', { class: 'nhsuk-notification-banner__header' });
    header.append(element('h2', { class: 'nhsuk-notification-banner__title', id: 'idle-warning-title' }, 'Important'));
    const content = element('div', { class: 'nhsuk-notification-banner__content' });
    if (state === 'warning') {
      content.append(
        element('p', { class: 'nhsuk-notification-banner__heading' }, 'You will be signed out soon'),
        element(
          'p',
          { class: 'nhsuk-body' },
          `You have not used Clasp for a while. For your security, Clasp signs you out after ` +
            `${idleMinutes} minutes without use.`,
        ),
      );
      const button = element(
        'button',
        { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0' },
        'Stay signed in',
      );
      button.addEventListener('click', staySignedIn);
      content.append(button);
    } else {
      const signIn = element('a', { href: `/sign-in?next=${encodeURIComponent(window.location.pathname)}` }, 'Sign in');
      const again = element('p', { class: 'nhsuk-body' });
      again.append(signIn, ' to carry on.');
      content.append(
        element('p', { class: 'nhsuk-notification-banner__heading' }, 'You have been signed out'),
        element(
          'p',
          { class: 'nhsuk-body' },
          `Clasp signed you out because you had not used it for ${idleMinutes} minutes. ` +
            'If you send a form on this page, you will be asked to sign in and then taken back to it ' +
            'with what you typed.',
        ),
        again,
      );
    }
    next.append(header, content);
    const hadFocus = banner ? banner.contains(document.activeElement) : false;
    if (banner) banner.replaceWith(next);
    else main.prepend(next);
    banner = next;
    if (hadFocus) banner.querySelector('a, button')?.focus();
  }

  /** Asks for a signed-in page, which counts as use; a session already ended answers with a redirect. */
  async function staySignedIn() {
    let signedIn = false;
    try {
      const answer = await fetch('/account', {
        method: 'HEAD',
        credentials: 'same-origin',
        redirect: 'manual',
        cache: 'no-store',
      });
      signedIn = answer.ok;
    } catch {
      // No answer (offline): the session may well have ended.
    }
    if (!signedIn) {
      show('ended');
      return;
    }
    lastActive = Date.now();
    noteActive(lastActive);
    schedule();
  }

  // Another tab used Clasp: this one starts counting again.
  window.addEventListener('storage', (event) => {
    if (event.key === LAST_ACTIVE) schedule();
  });
  schedule();
}
