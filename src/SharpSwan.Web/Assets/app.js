// SharpSwan web GUI behaviour: the Edit tunnel form and the live IPsec Monitor. No libraries, no inline script (CSP).
'use strict';
(() => {
  const AEAD = new Set(['aes128gcm', 'aes256gcm', 'chacha20poly1305']);
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';

  document.addEventListener('submit', event => {
    const form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // ---- Edit tunnel ------------------------------------------------------------------------------------------------
  const form = document.getElementById('tunnel-form');
  if (form) {
    const type = form.querySelector('#p1-type');
    const dialUp = () => type.value === 'dynamic';

    const syncSelector = fieldset => {
      const auto = fieldset.querySelector('.auto-negotiate');
      const keep = fieldset.querySelector('.keepalive');
      const isDialUp = dialUp();
      auto.disabled = isDialUp;
      if (isDialUp) auto.checked = false;
      fieldset.querySelector('.dialup-reason').hidden = !isDialUp;
      // Keep Alive is implied by Auto-negotiate: shown ticked and locked, the admin's own choice restored after.
      const implied = auto.checked && !isDialUp;
      keep.disabled = implied;
      keep.checked = implied || keep.dataset.chosen === 'true';
      fieldset.querySelector('.implied').hidden = !implied;

      const lifeType = fieldset.querySelector('.keylife-type').value;
      fieldset.querySelector('.keylife-seconds').hidden = lifeType === 'kbs';
      fieldset.querySelector('.keylife-kbs').hidden = lifeType === 'seconds';
      fieldset.querySelectorAll('.field.port').forEach(port => {
        const all = port.querySelector('.all');
        const value = port.querySelector('input[inputmode]');
        value.hidden = all.checked;
      });
      fieldset.querySelectorAll('.pair').forEach(pair => {
        const encryption = pair.querySelector('.enc').value;
        pair.querySelector('.auth').hidden = encryption === '' || AEAD.has(encryption);
      });
      fieldset.querySelector('.dh-groups').hidden = !fieldset.querySelector('.pfs').checked;
      fieldset.querySelector('.selector-name').textContent = fieldset.querySelector('input[name$=".name"]').value;
    };

    // Fields that do not apply are hidden and disabled, so they are not posted (the server writes what is posted).
    const show = (selector, on) => form.querySelectorAll(selector).forEach(field => {
      field.hidden = !on;
      field.querySelectorAll('input, select').forEach(input => { input.disabled = !on; });
    });
    const syncRemoteAccess = () => {
      const v1 = form.querySelector('#p1-ike-version').value === '1';
      const xauth = form.querySelector('#p1-xauthtype').value;
      const modeCfg = form.querySelector('#p1-mode-cfg').value === 'enable';
      show('.v1-only', v1);
      show('.xauth-server', v1 && dialUp() && ['pap', 'chap', 'auto'].includes(xauth));
      show('.xauth-client', v1 && !dialUp() && xauth === 'client');
      show('.modecfg-pool', dialUp() && modeCfg);
    };

    const syncAll = () => {
      form.querySelectorAll('.static-only').forEach(field => { field.hidden = dialUp(); });
      syncRemoteAccess();
      form.querySelectorAll('#selectors fieldset.selector').forEach(syncSelector);
    };

    form.addEventListener('change', event => {
      if (event.target.classList.contains('keepalive') && !event.target.disabled) {
        event.target.dataset.chosen = event.target.checked ? 'true' : 'false';
      }
      syncAll();
    });
    form.addEventListener('input', event => {
      if (event.target.name?.endsWith('.name')) syncAll();
    });
    form.addEventListener('click', event => {
      const add = event.target.closest('.add-pair');
      if (!add) return;
      const last = add.parentElement.querySelector('.pair:last-of-type');
      const copy = last.cloneNode(true);
      copy.querySelector('.enc').value = '';
      add.before(copy);
      syncAll();
    });
    // Disabled inputs are not sent; Keep Alive is sent when it is implied, as the server expects.
    form.addEventListener('submit', () => {
      form.querySelectorAll('.keepalive:disabled').forEach(keep => { keep.disabled = false; });
    });

    const addSelector = document.getElementById('add-selector');
    const template = document.getElementById('selector-template');
    addSelector?.addEventListener('click', () => {
      const selectors = document.getElementById('selectors');
      const next = Math.max(-1, ...[...selectors.querySelectorAll('fieldset.selector')].map(f => Number(f.dataset.index))) + 1;
      selectors.insertAdjacentHTML('beforeend', template.innerHTML.replaceAll('__i__', String(next)));
      const added = selectors.lastElementChild;
      added.querySelector('details.advanced').open = true;
      syncAll();
      added.querySelector('input[name$=".name"]').focus();
    });
    syncAll();
  }

  // ---- IPsec Monitor ----------------------------------------------------------------------------------------------
  const table = document.getElementById('monitor');
  if (table) {
    const body = table.tBodies[0];
    const result = document.getElementById('action-result');
    let signature = '';

    const bytes = n => {
      const units = ['B', 'KB', 'MB', 'GB', 'TB'];
      let value = n, unit = 0;
      while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
      return unit === 0 ? `${n} B` : `${value.toFixed(2)} ${units[unit]}`;
    };
    const duration = s => {
      s = Math.max(0, Math.floor(s));
      return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    };
    const cell = (row, text, className) => {
      const td = row.insertCell();
      if (text instanceof Node) td.append(text); else td.textContent = text ?? '';
      if (className) td.className = className;
      return td;
    };
    const status = up => {
      const span = document.createElement('span');
      span.className = `status ${up ? 'up' : 'down'}`;
      span.textContent = up ? 'Up' : 'Down';
      return span;
    };
    const countdown = (seconds, kind, key) => {
      if (seconds === null || seconds === undefined) return document.createTextNode('-');
      const span = document.createElement('span');
      span.className = `countdown ${kind}`;
      span.dataset.key = key;
      span.dataset.deadline = String(Date.now() + seconds * 1000);
      span.textContent = duration(seconds);
      return span;
    };
    const button = (label, className, tunnel, selector, disabled) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = className;
      b.textContent = label;
      b.dataset.tunnel = tunnel;
      if (selector) b.dataset.selector = selector;
      b.disabled = !!disabled;
      return b;
    };

    const render = tunnels => {
      body.replaceChildren();
      if (tunnels.length === 0) {
        cell(body.insertRow(), 'No IPsec tunnels.', 'empty').colSpan = 10;
        return;
      }
      for (const t of tunnels) {
        const row = body.insertRow();
        const instance = t.parent !== undefined && t.parent !== null;
        const template = t.type === 'dialup' && !instance;
        row.className = instance ? 'tunnel instance' : template ? 'tunnel template' : 'tunnel';
        row.dataset.tunnel = t.name;
        if (instance) row.dataset.parent = t.parent;
        const link = document.createElement('a');
        link.href = `/ipsec/timeline/${encodeURIComponent(t.name)}`;
        link.textContent = t.name;
        const first = cell(row, link, instance ? 'instance-name' : null);
        if (t.policy_based) {
          const badge = document.createElement('span');
          badge.className = 'badge policy-based';
          badge.title = 'config vpn ipsec phase1: firewall policies (action ipsec) send traffic into it';
          badge.textContent = 'Policy-based';
          first.append(' ', badge);
        }
        if (template) {
          // A dial-up template holds no SA: its row counts its peers, whose instance rows follow it.
          const peers = document.createElement('span');
          peers.className = `status ${t.instances > 0 ? 'up' : 'down'}`;
          peers.textContent = t.instances === 1 ? '1 peer' : `${t.instances} peers`;
          cell(row, peers);
          cell(row, 'Dialup User');
          cell(row, '-');
          cell(row, bytes(t.incoming_bytes), 'bytes-in');
          cell(row, bytes(t.outgoing_bytes), 'bytes-out');
          cell(row, ''); cell(row, ''); cell(row, '');
          const actions = cell(row, '', 'actions');
          actions.append(button('Bring Up', 'bring-up', t.name, null, true), ' ',
            button('Bring Down', 'bring-down', t.name, null, t.instances === 0), ' ', button('Reset Statistics', 'reset-stats', t.name));
          continue;
        }
        const state = cell(row, status(t.status === 'up'));
        const count = document.createElement('span');
        count.className = 'muted';
        count.textContent = ` ${t.selectors_up}/${t.selectors_total}`;
        state.append(count);
        if (instance) {
          cell(row, t.peer ?? '-', 'remote');
          const peer = document.createElement('span');
          const id = document.createElement('span');
          id.className = 'peer-id';
          id.textContent = t.peer_id ?? '-';
          peer.append(id);
          if (t.assigned_ip) {
            const assigned = document.createElement('span');
            assigned.className = 'assigned-ip muted';
            assigned.textContent = t.assigned_ip;
            peer.append(' ', assigned);
          }
          cell(row, peer, 'peer');
        } else {
          cell(row, t.type === 'dialup' ? 'Dialup User' : t.rgwy, 'remote');
          cell(row, t.peer ?? '-', 'peer');
        }
        cell(row, bytes(t.incoming_bytes), 'bytes-in');
        cell(row, bytes(t.outgoing_bytes), 'bytes-out');
        cell(row, ''); cell(row, ''); cell(row, '');
        const actions = cell(row, '', 'actions');
        actions.append(button('Bring Up', 'bring-up', t.name, null, t.type === 'dialup'), ' ',
          button('Bring Down', 'bring-down', t.name), ' ', button('Reset Statistics', 'reset-stats', t.name));
        for (const p of t.proxyid) {
          const sel = body.insertRow();
          sel.className = 'selector';
          sel.dataset.tunnel = t.name;
          sel.dataset.selector = p.p2name;
          cell(sel, p.p2name, instance ? 'indent instance-selector' : 'indent');
          cell(sel, status(p.status === 'up'));
          cell(sel, `${p.proxy_src[0].subnet} \u21C6 ${p.proxy_dst[0].subnet}`, 'muted');
          cell(sel, p.spi_in ? `SPI ${p.spi_in}` : '', 'muted');
          cell(sel, bytes(p.incoming_bytes), 'bytes-in');
          cell(sel, bytes(p.outgoing_bytes), 'bytes-out');
          const life = cell(sel, countdown(p.hard_expire, 'lifetime', `${t.name}/${p.p2name}/hard`));
          if (p.hard_expire !== null) life.append(` / ${p.keylife}s`);
          cell(sel, countdown(p.expire, 'rekey', `${t.name}/${p.p2name}/soft`));
          cell(sel, p.last_rekey ? new Date(p.last_rekey * 1000).toLocaleTimeString('en-GB') : '-');
          const selectorActions = cell(sel, '', 'actions');
          selectorActions.append(button('Bring Up', 'bring-up', t.name, p.p2name, t.type === 'dialup'), ' ',
            button('Bring Down', 'bring-down', t.name, p.p2name));
        }
      }
    };

    // Redraw only when something besides the countdowns changed, so buttons stay put between polls.
    const apply = tunnels => {
      const shape = JSON.stringify(tunnels, (key, value) => (key === 'expire' || key === 'hard_expire' || key === 'creation_time') ? undefined : value);
      if (shape !== signature) {
        signature = shape;
        render(tunnels);
        return;
      }
      for (const t of tunnels) {
        for (const p of t.proxyid) {
          for (const [suffix, seconds] of [['hard', p.hard_expire], ['soft', p.expire]]) {
            const span = body.querySelector(`.countdown[data-key="${CSS.escape(`${t.name}/${p.p2name}/${suffix}`)}"]`);
            if (span && seconds !== null) span.dataset.deadline = String(Date.now() + seconds * 1000);
          }
        }
      }
    };

    const refresh = async () => {
      try {
        const response = await fetch(table.dataset.source, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (response.status === 401) { window.location.href = '/login'; return; }
        const data = await response.json();
        apply(data.results);
        document.getElementById('updated').textContent = new Date().toLocaleTimeString('en-GB');
      } catch {
        // The next poll tries again.
      }
    };

    const tick = () => {
      body.querySelectorAll('.countdown').forEach(span => {
        if (!span.dataset.deadline) span.dataset.deadline = String(Date.now() + Number(span.dataset.seconds) * 1000);
        span.textContent = duration((Number(span.dataset.deadline) - Date.now()) / 1000);
      });
    };

    body.addEventListener('click', async event => {
      const b = event.target.closest('button');
      if (!b) return;
      const action = b.classList.contains('bring-up') ? 'tunnel_up' : b.classList.contains('bring-down') ? 'tunnel_down' : 'tunnel_reset_stats';
      const request = { phase1_name: b.dataset.tunnel };
      if (b.dataset.selector) request.phase2_name = b.dataset.selector;
      b.disabled = true;
      try {
        const response = await fetch(`/api/v2/monitor/vpn/ipsec/${action}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json', 'X-CSRFTOKEN': csrf() },
          body: JSON.stringify(request),
        });
        const answer = await response.json();
        result.className = answer.status === 'success' ? '' : 'error';
        result.textContent = answer.status === 'success'
          ? `${b.textContent}: ${request.phase2_name ?? request.phase1_name} done`
          : `${b.textContent} failed: ${answer.message}`;
      } finally {
        b.disabled = false;
        signature = '';
        await refresh();
      }
    });

    tick();
    setInterval(tick, 1000);
    setInterval(refresh, 2000);
    refresh();
  }
})();
