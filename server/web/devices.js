'use strict';
// Device enrolment on the staff pages (the dashboard and /beheer): the pairing codes that wait
// (approve with a name), and the enrolled kiosks and displays (rename, revoke). One module for
// both pages; each page has the same elements: #pairing-list, #pairing-none, #devices-error,
// #enrolled-list. `call(path, options)` is the page's authorised fetch (Loket.api with its token);
// `changed()` runs after every change (the page refreshes its history); `rename` adds the
// rename field (the admin page).
window.LoketDevices = (() => {
  const { t, el } = Loket;
  const $ = (id) => document.getElementById(id);

  function create({ call, changed = () => {}, rename = false, prefix = 'dashboard' }) {
    function fail(result) {
      $('devices-error').textContent = result.ok ? '' : Loket.errorText(result, prefix);
      return result.ok;
    }

    async function act(path, body) {
      const result = await call(path, { method: 'POST', body });
      const ok = fail(result);
      await refresh();
      changed();
      return ok;
    }

    function approve(code, name) {
      if (!name) {
        $('devices-error').textContent = t('dashboard.devices.name_needed');
        return Promise.resolve(false);
      }
      return act(`/api/v1/devices/pairings/${code}/approve`, { name });
    }

    function pairingItem(p) {
      const input = el('input', { type: 'text', maxlength: '80', 'aria-label': t('dashboard.devices.name_for', { code: p.pairing_code }), 'data-code': p.pairing_code });
      const button = el('button', { type: 'button', class: 'primary', 'data-approve': p.pairing_code }, t('dashboard.devices.approve'));
      button.addEventListener('click', () => approve(p.pairing_code, input.value.trim()));
      return el('li', { 'data-pairing': p.pairing_code },
        el('strong', {}, `${p.pairing_code.slice(0, 3)} ${p.pairing_code.slice(3)}`), ' ',
        t(`common.role.${p.role}`), ' ', input, ' ', button);
    }

    function enrolledItem(d) {
      const item = el('li', { 'data-device': d.id }, `${d.name} (${t(`common.role.${d.role}`)}) `);
      if (d.revoked_at) {
        item.append(el('span', { class: 'muted' }, t('dashboard.devices.revoked')));
        return item;
      }
      if (rename) {
        const input = el('input', { type: 'text', maxlength: '80', value: d.name, 'data-rename-input': d.id,
          'aria-label': t('beheer.devices.name_of', { name: d.name }) });
        const save = el('button', { type: 'button', class: 'secondary', 'data-rename': d.id }, t('beheer.devices.rename'));
        save.addEventListener('click', () => {
          const name = input.value.trim();
          if (!name) {
            $('devices-error').textContent = t('dashboard.devices.name_needed');
            input.focus();
            return;
          }
          act(`/api/v1/devices/enrolled/${d.id}/rename`, { name });
        });
        item.append(input, ' ', save, ' ');
      }
      const revoke = el('button', { type: 'button', class: 'secondary', 'data-revoke': d.id }, t('dashboard.devices.revoke'));
      revoke.addEventListener('click', () => act(`/api/v1/devices/enrolled/${d.id}/revoke`, {}));
      item.append(revoke);
      return item;
    }

    // The lists are polled: they are drawn again only when they changed, so a name being typed
    // (and the focus) stays where it is. When they are drawn again, the new copy of the control
    // that had the focus gets it back: a keyboard user is not sent to the top of the page.
    const focusable = ['data-code', 'data-approve', 'data-rename-input', 'data-rename', 'data-revoke'];
    function focusedControl() {
      const node = document.activeElement;
      const name = node && focusable.find((a) => node.hasAttribute(a));
      return name ? `[${name}="${CSS.escape(node.getAttribute(name))}"]` : null;
    }
    let shown = '';
    async function refresh() {
      const [pairings, enrolled] = await Promise.all([call('/api/v1/devices/pairings'), call('/api/v1/devices/enrolled')]);
      if (!pairings.ok || !enrolled.ok) return;
      const now = JSON.stringify([pairings.data.map((p) => [p.pairing_code, p.role]), enrolled.data, Loket.lang]);
      if (now === shown) return;
      shown = now;
      const focused = focusedControl();
      $('pairing-none').hidden = pairings.data.length > 0;
      $('pairing-list').replaceChildren(...pairings.data.map(pairingItem));
      $('enrolled-none').hidden = enrolled.data.length > 0;
      $('enrolled-list').replaceChildren(...enrolled.data.map(enrolledItem));
      if (focused) document.querySelector(focused)?.focus();
    }

    return { refresh };
  }

  return { create };
})();
