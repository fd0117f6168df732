"""The Celery arrangement end to end, with a fault: run by tests/e2e/test_scaling.py, and
as a script for the figures in docs/scaling.md::

    python -m tests.support.e2e_scaling

One redis-server (broker, idempotency store, and the work's results), two uvicorn
receivers and two Celery workers running tests/support/e2e_celery.py (``survivor``:
``--pool=solo``; ``victim``: ``--pool=threads --concurrency=2``, two tasks at a time in
one process), all on 127.0.0.1. A load generator POSTs about 2,000 signed
bodies of 1 to 50 hooks (about 20,000 hooks): 10% are verbatim replays of an earlier
POST, 5% are new POSTs repeating earlier hookIds. The first half is sent with no
fault and drained; then both threads of the ``victim`` are made to stop in the middle
of a hook each, and it is killed with SIGKILL while it holds those two claims and their
messages, and the second half is sent and drained. The lease (12 s) is longer than the
visibility timeout (4 s): the messages come back to the survivor while the dead
worker's claims are live, and it must look again after the lease.

Every process is started with a bound on how long it may take, and stopped in a
``finally``, whatever happens.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import redis

import nhn_webhooks as nw
from nhn_webhooks.testing import sample_data
from tests.support.redis_server import RedisServer, free_port

ROOT = Path(__file__).parents[2]
SIGNATURE = "e2e-console-signature"
PRODUCTS = (nw.SmsMessageResultUpdate, nw.KakaoMessageResultUpdate, nw.EmailMessageResultUpdate)
SENDERS = 4  # concurrent HTTP connections of the load generator
STARTUP_SECONDS = 60.0
DRAIN_SECONDS = 120.0
STALL_WAIT_SECONDS = 60.0
STALLED = 2  # claims the victim holds when killed: one per thread


# --- the load ------------------------------------------------------------------------


def plan(posts: int = 2000, seed: int = 13) -> list[bytes]:
    """The bodies to POST, in order: fresh ones, 10% replays, 5% repeated hookIds."""
    rng = random.Random(seed)
    bodies: list[bytes] = []
    sent: list[dict[str, Any]] = []
    for index in range(posts):
        roll = rng.random()
        if sent and roll < 0.10:
            bodies.append(rng.choice(bodies))  # the same bytes again
            continue
        if sent and roll < 0.15:
            earlier = rng.choice(sent)
            data = dict(earlier, hooksId=f"post-{index}")
            repeated = rng.sample(earlier["hooks"], rng.randint(1, len(earlier["hooks"])))
            data["hooks"] = repeated + fresh_hooks(rng, earlier, index, rng.randint(0, 3))
        else:
            data = sample_data(rng.choice(PRODUCTS), hooks=1)
            data["hooksId"] = f"post-{index}"
            data["hooks"] = fresh_hooks(rng, data, index, hook_count(rng))
        sent.append(data)
        bodies.append(msgspec.json.encode(data))
    return bodies


def hook_count(rng: random.Random) -> int:
    """1 to 50 hooks, about 10 on average: most POSTs are small."""
    return min(50, 1 + int(rng.expovariate(1 / 9.5)))


def fresh_hooks(rng: random.Random, data: dict[str, Any], index: int, count: int) -> list[Any]:
    template = data["hooks"][0]
    return [dict(template, hookId=f"hook-{index}-{n}") for n in range(count)]


def hook_keys(body: bytes) -> list[str]:
    webhook = nw.decode(body)
    return [nw.idempotency_key(webhook, hook) for hook in webhook.hooks]


# --- the processes -------------------------------------------------------------------


@dataclass
class Processes:
    """What one run started; every one is stopped by ``stop()``."""

    logs: Path
    started: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, command: list[str], **env: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        try:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        finally:
            log.close()
        self.started[name] = process
        return process

    def stop(self) -> None:
        for process in self.started.values():
            if process.poll() is None:
                process.kill()
        for process in self.started.values():
            process.wait(timeout=30)

    def tail(self) -> str:
        """The end of every log, for a failure message."""
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.logs.glob("*.log"))
        )


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


@contextmanager
def arrangement(logs: Path) -> Iterator[tuple[RedisServer, list[int], Processes]]:
    """redis-server, two receivers and two workers; all stopped on the way out."""
    with ExitStack() as stack:
        server = RedisServer().start()
        stack.callback(server.stop)
        processes = Processes(logs)
        stack.callback(processes.stop)
        env = {"REDIS_URL": server.url}
        ports = [free_port(), free_port()]
        receivers = [
            processes.start(
                f"receiver-{port}",
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "tests.support.e2e_celery:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                **env,
                NHN_WEBHOOK_SIGNATURE=SIGNATURE,  # the workers need no secret
            )
            for port in ports
        ]
        pools = {
            "survivor": ["--pool=solo"],
            "victim": ["--pool=threads", f"--concurrency={STALLED}"],
        }
        for name, pool in pools.items():
            processes.start(
                name,
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "tests.support.e2e_celery:celery",
                    "worker",
                    *pool,
                    "-n",
                    f"{name}@127.0.0.1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel=WARNING",
                ],
                **env,
                E2E_WORKER=name,
            )
        for port, receiver in zip(ports, receivers, strict=True):
            wait_for_port(port, receiver)
        yield server, ports, processes


def post_all(bodies: list[bytes], ports: list[int]) -> list[float]:
    """POST every body (SENDERS connections, alternating receivers); the latencies, s."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def sender(number: int) -> None:
        port = ports[number % len(ports)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {nw.SIGNATURE_HEADER: SIGNATURE, "Content-Type": "application/json"}
        mine: list[float] = []
        try:
            for body in bodies[number::SENDERS]:
                start = time.perf_counter()
                connection.request("POST", "/nhn/webhook", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - start)
                if response.status != 200:
                    failures.append(f"{port}: {response.status}")
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures or len(latencies) != len(bodies):
        raise RuntimeError(f"{len(failures)} POSTs failed, e.g. {failures[:3]}")
    return latencies


def drain(results: redis.Redis, keys: set[str], processes: Processes) -> float:
    """Wait until every key is written; the time it happened (perf_counter)."""
    deadline = time.monotonic() + DRAIN_SECONDS
    while time.monotonic() < deadline:
        if results.hlen("e2e:written") >= len(keys):
            written = {key.decode() for key in results.hkeys("e2e:written")}
            if keys <= written:
                return time.perf_counter()
        for name in ("survivor", "receiver"):
            for process_name, process in processes.started.items():
                if process_name.startswith(name) and process.poll() is not None:
                    raise RuntimeError(f"{process_name} exited with {process.returncode}")
        time.sleep(0.05)
    missing = len(keys - {key.decode() for key in results.hkeys("e2e:written")})
    raise RuntimeError(f"{missing} of {len(keys)} hooks never written")


# --- one run -------------------------------------------------------------------------


@dataclass
class Phase:
    posts: int
    hooks: int
    distinct: int
    seconds: float
    latencies: list[float]
    redis_commands: int
    redis_cpu_seconds: float

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies)
        return {
            "redis_commands_per_hook": round(self.redis_commands / self.hooks, 1),
            "redis_cpu_share": round(self.redis_cpu_seconds / self.seconds, 2),
            "redis_cpu_us_per_hook": round(1e6 * self.redis_cpu_seconds / self.hooks),
            "posts": self.posts,
            "hooks": self.hooks,
            "distinct_hooks": self.distinct,
            "seconds": round(self.seconds, 2),
            "hooks_per_second": round(self.hooks / self.seconds),
            "distinct_hooks_per_second": round(self.distinct / self.seconds),
            "p50_ms": round(1000 * ordered[len(ordered) // 2], 2),
            "p99_ms": round(1000 * ordered[int(len(ordered) * 0.99)], 2),
        }


@dataclass
class Outcome:
    """What the test asserts on, and the figures docs/scaling.md quotes."""

    distinct_keys: set[str]
    written: set[str]
    attempts_after_clean_phase: dict[str, int]
    attempts: dict[str, int]
    stalled: set[str]
    held: dict[str, set[str]]  # worker -> keys it found claimed and not completed
    clean: Phase
    faulty: Phase
    seconds: float

    def report(self) -> dict[str, Any]:
        return {
            "without_fault": self.clean.figures(),
            "with_fault": self.faulty.figures(),
            "reprocessed": sorted(k for k, n in self.attempts.items() if n > 1),
            "killed_workers_claims_met_live": len(self.stalled & self.held.get("survivor", set())),
            "total_seconds": round(self.seconds, 1),
        }


def run(posts: int = 2000) -> Outcome:
    began = time.perf_counter()
    bodies = plan(posts)
    half = len(bodies) // 2
    phases = (bodies[:half], bodies[half:])
    with (
        tempfile.TemporaryDirectory(prefix="nhn-webhooks-e2e-") as logs,
        arrangement(Path(logs)) as (server, ports, processes),
    ):
        try:
            return _drive(server, ports, processes, phases, began)
        except (RuntimeError, redis.exceptions.RedisError, OSError) as error:
            raise RuntimeError(f"{error}\n{processes.tail()}") from error


def _drive(
    server: RedisServer,
    ports: list[int],
    processes: Processes,
    phases: tuple[list[bytes], list[bytes]],
    began: float,
) -> Outcome:
    results = redis.Redis.from_url(server.url, socket_timeout=10)
    try:
        keys: set[str] = set()
        measured: list[Phase] = []
        clean_attempts: dict[str, int] = {}
        stalled: set[str] = set()
        for number, bodies in enumerate(phases):
            posted = [key for body in bodies for key in hook_keys(body)]
            keys |= set(posted)
            killer = None
            if number == 1:
                results.set("e2e:armed", 1)
                killer = threading.Thread(target=_kill_when_stalled, args=(results, processes))
                killer.start()
            commands, cpu = _redis_load(results)
            start = time.perf_counter()
            latencies = post_all(bodies, ports)
            if killer is not None:
                killer.join(timeout=STALL_WAIT_SECONDS + 5)
                stalled_keys = results.lrange("e2e:stalled", 0, -1)
                stalled = {key.decode() for key in stalled_keys}
                if processes.started["victim"].poll() is None or len(stalled) != STALLED:
                    raise RuntimeError("the victim worker did not stall and get killed")
            end = drain(results, keys, processes)
            commands_after, cpu_after = _redis_load(results)
            measured.append(
                Phase(
                    posts=len(bodies),
                    hooks=len(posted),
                    distinct=len(set(posted)),
                    seconds=end - start,
                    latencies=latencies,
                    redis_commands=commands_after - commands,
                    redis_cpu_seconds=cpu_after - cpu,
                )
            )
            if number == 0:
                clean_attempts = _attempts(results)
        return Outcome(
            distinct_keys=keys,
            written={key.decode() for key in results.hkeys("e2e:written")},
            attempts_after_clean_phase=clean_attempts,
            attempts=_attempts(results),
            stalled=stalled,
            held=_held(results),
            clean=measured[0],
            faulty=measured[1],
            seconds=time.perf_counter() - began,
        )
    finally:
        results.close()


def _kill_when_stalled(results: redis.Redis, processes: Processes) -> None:
    deadline = time.monotonic() + STALL_WAIT_SECONDS
    while results.llen("e2e:stalled") < STALLED:
        if time.monotonic() > deadline:
            return  # the driver finds a living victim and fails
        time.sleep(0.01)
    processes.started["victim"].send_signal(signal.SIGKILL)
    processes.started["victim"].wait(timeout=30)


def _redis_load(results: redis.Redis) -> tuple[int, float]:
    """Commands the server has processed, and the CPU seconds it has used, so far."""
    stats, cpu = results.info("stats"), results.info("cpu")
    return int(stats["total_commands_processed"]), cpu["used_cpu_user"] + cpu["used_cpu_sys"]


def _held(results: redis.Redis) -> dict[str, set[str]]:
    held: dict[str, set[str]] = {}
    for entry in results.lrange("e2e:held", 0, -1):
        worker, key = entry.decode().split(":", 1)
        held.setdefault(worker, set()).add(key)
    return held


def _attempts(results: redis.Redis) -> dict[str, int]:
    return {key.decode(): int(count) for key, count in results.hgetall("e2e:attempts").items()}


if __name__ == "__main__":
    print(json.dumps(run().report(), indent=2))
