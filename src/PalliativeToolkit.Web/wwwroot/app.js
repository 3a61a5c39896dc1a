// The navigation's menu button on narrow screens. Plain script (no circuit needed), so it works on the static account
// pages as on the interactive ones: the button opens and closes the menu, Escape or following a link closes it.
(() => {
    const button = () => document.querySelector('.menu-button');
    const setOpen = (open, focusButton) => {
        const menu = button();
        if (!menu) return;
        menu.setAttribute('aria-expanded', String(open));
        document.body.classList.toggle('nav-open', open);
        if (open) {
            document.querySelector('#main-nav a')?.focus();
        } else if (focusButton) {
            menu.focus();
        }
    };

    document.addEventListener('click', event => {
        if (event.target.closest('.menu-button')) {
            setOpen(button().getAttribute('aria-expanded') !== 'true', false);
        } else if (document.body.classList.contains('nav-open') && (event.target.closest('#main-nav a') || !event.target.closest('#main-nav'))) {
            setOpen(false, false);
        }
    });

    document.addEventListener('keydown', event => {
        if (event.key === 'Escape' && document.body.classList.contains('nav-open')) {
            setOpen(false, true);
        }
    });
})();

// The browser's time zone (an IANA id such as "America/New_York"), for pages that show times in the viewer's own zone.
window.ptkTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
