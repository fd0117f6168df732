"""Run in a fresh interpreter: many threads make nhn_webhooks' first calls at once.

A threaded server's first requests arrive together, each on its own thread, before
anything has been decoded. This script reproduces that: it prepares one body per
webhook class (and bodies that take the careful path and the partial path), starts
16 threads on a barrier with a tiny switch interval, and has each thread decode,
decode_partial and encode every body. It prints one line of class names per thread;
the parent test checks them and that the process exited cleanly (not by a signal).
"""

from __future__ import annotations

import json
import sys
import threading

THREADS = 16


def bodies() -> list[tuple[str, bytes]]:
    """(expected class name, body): every sample, a careful-path variant of each, and
    each under a product this version does not model."""
    from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body

    found = []
    for cls, name in SAMPLE_NAMES.items():
        body = sample_body(name)
        found.append((cls.__name__, body))
        data = json.loads(body)
        # A date-only timestamp (what a Kakao example shows) takes the careful path.
        for hook in data["hooks"]:
            for key in ("createdDateTime", "requestDate", "updateDate", "blockedDateTime"):
                if key in hook:
                    hook[key] = "2024-04-29"
        found.append((cls.__name__, json.dumps(data).encode()))
        data["productName"] = "A product not modelled"
        found.append(("UnknownWebhook", json.dumps(data).encode()))
    return found


def work(prepared: list[tuple[str, bytes]], barrier: threading.Barrier) -> str:
    import nhn_webhooks as nw

    barrier.wait()
    names = []
    for expected, body in prepared:
        webhook = nw.decode(body)
        partial = nw.decode_partial(body + b" ")
        assert partial.webhook == webhook, "decode_partial disagrees with decode"
        assert nw.decode(nw.encode(webhook)) == webhook, "encode does not round-trip"
        bad = json.loads(body)
        bad["hooks"].append({"hookId": []})
        salvaged = nw.decode_partial(json.dumps(bad))
        kept = expected == "UnknownWebhook"  # its hooks are any JSON objects
        assert len(salvaged.failures) == (0 if kept else 1), "a bad hook was not set aside"
        names.append(type(webhook).__name__)
        assert names[-1] == expected, f"decoded to {names[-1]}, not {expected}"
    return " ".join(names)


def main() -> None:
    sys.setswitchinterval(float(sys.argv[1]) if len(sys.argv) > 1 else 1e-4)
    prepared = bodies()  # reads sample files only: no model is decoded yet
    barrier = threading.Barrier(THREADS)
    results: list[str] = [""] * THREADS

    def run(index: int) -> None:
        try:
            results[index] = work(prepared, barrier)
        except Exception as exc:  # reported by the exit status, for the parent test
            results[index] = f"FAILED: {exc!r}"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("\n".join(results))
    sys.exit(1 if any(line.startswith("FAILED") for line in results) else 0)


if __name__ == "__main__":
    main()
