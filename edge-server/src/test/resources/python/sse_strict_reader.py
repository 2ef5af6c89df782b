"""Reads a server-sent-event stream the way the Flagsmith Python SDK's HTTP stack does.

The SDK hands `chunk for chunk in response` of a `requests` stream to sseclient: requests asks
urllib3 for 128 bytes at a time. urllib3 reads a chunked body strictly -- the size line, the
chunk, and the CRLF that ends it, before the chunk's bytes are handed on -- and any other body
with a blocking read of 128 bytes. Mode "stdlib" does exactly that with http.client alone; mode
"requests" uses requests itself (exit code 3 when it is not installed).

Each complete event (a frame ending in a blank line) is printed at once as one line:
"<milliseconds since the epoch> <the frame's lines joined by |>". Ends at the end of the stream.

Usage: sse_strict_reader.py stdlib|requests HOST PORT PATH
"""

import http.client
import sys
import time

READ_SIZE = 128


def strict_chunks(response):
    raw = response.fp  # the response stays referenced: collecting it would close the socket
    while True:
        size_line = raw.readline()
        if not size_line:
            return
        left = int(size_line.split(b";", 1)[0].strip(), 16)
        if left == 0:
            return
        while left > READ_SIZE:
            yield raw.read(READ_SIZE)
            left -= READ_SIZE
        data = raw.read(left)
        if raw.read(2) != b"\r\n":
            raise ValueError("chunk not ended by CRLF")
        yield data


def fixed_reads(response):
    while True:
        data = response.read(READ_SIZE)
        if not data:
            return
        yield data


def stdlib_stream(host, port, path):
    connection = http.client.HTTPConnection(host, port, timeout=60)
    connection.request("GET", path, headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    framing = response.getheader("Transfer-Encoding", "")
    print("status %d framing %s" % (response.status, framing or "none"), flush=True)
    if "chunked" in framing.lower():
        return strict_chunks(response)
    return fixed_reads(response)


def requests_stream(host, port, path):
    try:
        import requests
    except ImportError:
        print("requests is not installed", flush=True)
        sys.exit(3)
    response = requests.get(
        "http://%s:%d%s" % (host, port, path),
        stream=True,
        headers={"Accept": "application/json, text/event-stream"},
        timeout=60,
    )
    framing = response.headers.get("Transfer-Encoding", "")
    print("status %d framing %s" % (response.status_code, framing or "none"), flush=True)
    return (chunk for chunk in response)


def main():
    mode, host, port, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    parts = (stdlib_stream if mode == "stdlib" else requests_stream)(host, port, path)
    pending = b""
    for data in parts:
        pending += data
        while b"\n\n" in pending:
            frame, pending = pending.split(b"\n\n", 1)
            text = frame.decode("utf-8").replace("\n", "|")
            print("%d %s" % (time.time() * 1000, text), flush=True)
    print("end", flush=True)


if __name__ == "__main__":
    main()
