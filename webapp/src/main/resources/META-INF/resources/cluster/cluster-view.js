/**
 * The cluster dialog: the gateway's node list (`GET /api/nodes`) — each node's id, address,
 * connection count and health — with the node this browser is connected to marked
 * (`data-testid="cluster-node"`, `data-node-id`, `data-mine`).
 */

import { requestJson } from '../protocol/http.js';

export class ClusterView {
  #el;
  #tokenOf;
  #nodeOf;

  /**
   * @param {{dialog: HTMLDialogElement, open: HTMLButtonElement, close: HTMLButtonElement,
   *   list: HTMLTableSectionElement, status: HTMLElement}} el
   * @param {{token: () => string|null, nodeId: () => string|null}} deps
   */
  constructor(el, { token, nodeId }) {
    this.#el = el;
    this.#tokenOf = token;
    this.#nodeOf = nodeId;
    el.open.addEventListener('click', () => this.show());
    el.close.addEventListener('click', () => el.dialog.close());
  }

  async show() {
    const el = this.#el;
    el.list.replaceChildren();
    el.status.textContent = 'Loading…';
    if (!el.dialog.open) {
      el.dialog.showModal();
    }
    try {
      const nodes = await requestJson('GET', '/nodes', { token: this.#tokenOf() });
      const mine = this.#nodeOf();
      const rows = (Array.isArray(nodes) ? nodes : []).map((node) => row(node, node.nodeId === mine));
      el.list.replaceChildren(...rows);
      const total = (Array.isArray(nodes) ? nodes : []).reduce((sum, n) => sum + (Number(n.connections) || 0), 0);
      el.status.textContent = `${rows.length} node${rows.length === 1 ? '' : 's'}, ${total} connection${total === 1 ? '' : 's'} (as each node last reported, every few seconds). You are on ${mine || 'no node right now'}.`;
    } catch (error) {
      el.status.textContent = error?.message ?? 'The node list is not available.';
    }
  }
}

function row(node, mine) {
  const tr = document.createElement('tr');
  tr.setAttribute('data-testid', 'cluster-node');
  tr.dataset.nodeId = String(node.nodeId ?? '');
  tr.dataset.mine = String(mine);
  const name = cell(String(node.nodeId ?? '?'));
  if (mine) {
    const you = document.createElement('strong');
    you.className = 'cluster-you';
    you.textContent = ' (you)';
    name.append(you);
  }
  tr.append(name, cell(String(node.url ?? '')), cell(String(node.connections ?? 0)), cell(node.healthy ? 'healthy' : 'unhealthy'));
  return tr;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}
