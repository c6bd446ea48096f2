/**
 * A gateway and two IM nodes started with `bin/parley up` on the browser tests' own ports, and
 * stopped with SIGTERM to the launcher (which stops its children). PARLEY_TEST_GATEWAY and
 * PARLEY_TEST_RUN_DIR point at a cluster that is already running instead (fast local iterations).
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const moduleDir = path.resolve(here, '../../..');
export const projectDir = process.env.PARLEY_HOME ?? path.resolve(moduleDir, '..');

/**
 * bin/parley up on 2 cores boots all processes at once: 60–200 s, more on a machine shared with
 * other clusters. bin/parley's own limit (PARLEY_START_TIMEOUT, default here 340 s) gives up first.
 */
const START_TIMEOUT_S = Number(process.env.PARLEY_START_TIMEOUT ?? 340);
export const BOOT_TIMEOUT_MS = (START_TIMEOUT_S + 20) * 1000;

export class Cluster {
  #process = null;
  #output = [];
  url = null;
  runDir = null;

  /**
   * @param {{name?: string, env?: Record<string, string>}} [options] `name`: the run directory
   *   under target/ (one per test file keeps each file's logs); `env`: configuration for this
   *   cluster's processes (MicroProfile Config reads the environment), ignored with
   *   PARLEY_TEST_GATEWAY.
   */
  static async start({ name = 'run', env = {} } = {}) {
    const cluster = new Cluster();
    if (process.env.PARLEY_TEST_GATEWAY) {
      cluster.url = process.env.PARLEY_TEST_GATEWAY.replace(/\/$/, '');
      cluster.runDir = process.env.PARLEY_TEST_RUN_DIR ?? null;
      return cluster;
    }
    await cluster.#boot(name, env);
    return cluster;
  }

  async #boot(name, extraEnv) {
    this.runDir = path.join(moduleDir, 'target', name);
    await rm(this.runDir, { recursive: true, force: true });
    await mkdir(this.runDir, { recursive: true });
    const env = {
      ...process.env,
      PARLEY_GATEWAY_PORT: '18480',
      PARLEY_NODE_PORT: '18481',
      PARLEY_NODES: '2',
      PARLEY_H2_PORT: '19480',
      PARLEY_HZ_PORT: '17480',
      PARLEY_CLUSTER: `parley-browser-${process.pid}`,
      PARLEY_RUN_DIR: this.runDir,
      PARLEY_HEAP: '384m',
      PARLEY_START_TIMEOUT: String(START_TIMEOUT_S),
      ...extraEnv,
    };
    const child = spawn(path.join(projectDir, 'bin', 'parley'), ['up'], {
      cwd: projectDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#process = child;
    this.url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no PARLEY_UP within ${BOOT_TIMEOUT_MS / 1000} s:\n${this.log()}`)),
        BOOT_TIMEOUT_MS,
      );
      const onLine = (line) => {
        this.#output.push(line);
        const match = /^PARLEY_UP (\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1].replace(/\/$/, ''));
        }
      };
      lines(child.stdout, onLine);
      lines(child.stderr, onLine);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bin/parley up exited (${code}) before it was up:\n${this.log()}`));
      });
    });
  }

  /** The pid of a node process from the launcher's pid files (`node-1`, `node-2`). */
  nodePid(nodeId) {
    if (!this.runDir) {
      throw new Error('the run directory of this cluster is unknown (set PARLEY_TEST_RUN_DIR)');
    }
    return Number(readFileSync(path.join(this.runDir, 'pids', `${nodeId}.pid`), 'utf8').trim());
  }

  /** Drains a node the way an operator stops it: SIGTERM to its process. */
  drain(nodeId) {
    process.kill(this.nodePid(nodeId), 'SIGTERM');
  }

  log() {
    return this.#output.slice(-40).join('\n');
  }

  /** SIGTERM to bin/parley, which stops the nodes, the gateway and the database. */
  async stop() {
    const child = this.#process;
    if (!child || child.exitCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(resolve, 60_000, 'timeout'));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
    }
  }
}

function lines(stream, onLine) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffered += chunk;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  });
}
