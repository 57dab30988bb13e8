"""A load client that does not stall: several processes, each an asyncio loop of keep-alive
HTTP/1.1 connections written by hand (no client library: it costs a few µs a request, so the
server, not the client, is the bottleneck). Each connection sends its next request as soon as
the previous answer is read.

A Request is (method, path, headers, body); a process gets its share of connections and either
a fixed list of requests (run once each) or a list it cycles through until `seconds` pass.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import os
import time
from dataclasses import dataclass, field
from typing import Any

Request = tuple[str, str, dict[str, str], Any]


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # wall clock (time.time), per request
    codes: list[int] = field(default_factory=list)
    wall_s: float = 0.0
    client_cpu_s: float = 0.0
    sample_error: str = ""
    machine_busy: float = 0.0  # share of the machine's CPU time busy during the run (all cores)

    @property
    def count(self) -> int:
        return len(self.codes)

    @property
    def errors(self) -> int:
        return sum(1 for c in self.codes if not 200 <= c < 300)

    @property
    def rate(self) -> float:
        return self.count / self.wall_s if self.wall_s else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _encode(host: str, req: Request) -> bytes:
    method, path, headers, body = req
    payload = b""
    if body is not None:
        payload = json.dumps(body).encode()
        headers = {**headers, "content-type": "application/json"}
    lines = [f"{method} {path} HTTP/1.1", f"host: {host}", f"content-length: {len(payload)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _read_response(reader: asyncio.StreamReader, out: LoadResult) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        body = await reader.readexactly(length)
        if not 200 <= status < 300 and not out.sample_error:
            out.sample_error = f"{status} {body[:300].decode(errors='replace')}"
    return status


async def _connection(
    port: int, work: list[bytes], cycle: bool, deadline: float, out: LoadResult, next_i: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            if cycle:
                if time.perf_counter() >= deadline:
                    return
                data = work[next_i[0] % len(work)]
            else:
                if next_i[0] >= len(work):
                    return
                data = work[next_i[0]]
            next_i[0] += 1
            started = time.perf_counter()
            out.sent_at.append(time.time())
            try:
                writer.write(data)
                code = await _read_response(reader, out)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                code = 0
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            out.latencies_ms.append((time.perf_counter() - started) * 1000)
            out.codes.append(code)
    finally:
        writer.close()


def _worker(
    port: int,
    requests: list[Request],
    connections: int,
    seconds: float | None,
    start: Any,
    queue: Any,
) -> None:
    work = [_encode(f"127.0.0.1:{port}", r) for r in requests]
    out = LoadResult()

    async def main() -> None:
        next_i = [0]
        start.wait()
        cpu0 = sum(os.times()[:2])
        t0 = time.perf_counter()
        deadline = t0 + (seconds or 0)
        await asyncio.gather(
            *(
                _connection(port, work, seconds is not None, deadline, out, next_i)
                for _ in range(connections)
            )
        )
        out.wall_s = time.perf_counter() - t0
        out.client_cpu_s = sum(os.times()[:2]) - cpu0

    asyncio.run(main())
    queue.put(out)


def run_load(
    port: int,
    requests: list[Request],
    *,
    connections: int,
    seconds: float | None = None,
    processes: int = 4,
) -> LoadResult:
    """Fixed list (seconds=None: each request once) or cycle for `seconds`. Connections and
    requests are dealt round-robin over the processes."""
    processes = max(1, min(processes, connections))
    ctx = mp.get_context("fork")
    start = ctx.Event()
    queue = ctx.Queue()
    procs = []
    for p in range(processes):
        share = connections // processes + (1 if p < connections % processes else 0)
        mine = requests[p::processes] if seconds is None else requests[p::processes] or requests
        procs.append(ctx.Process(target=_worker, args=(port, mine, share, seconds, start, queue)))
    for proc in procs:
        proc.start()
    time.sleep(0.3)  # every process connected and waiting
    start.set()
    parts = [queue.get() for _ in procs]
    for proc in procs:
        proc.join()
    total = LoadResult()
    for part in parts:
        total.latencies_ms += part.latencies_ms
        total.sent_at += part.sent_at
        total.codes += part.codes
        total.client_cpu_s += part.client_cpu_s
        total.sample_error = total.sample_error or part.sample_error
        total.wall_s = max(total.wall_s, part.wall_s)
    return total
