"""The course's I/O program with requests, one request after another:
python3 io_requests.py --url http://127.0.0.1:8000/ --count 100   (or --urls a,b,c, taken in turn)
"""

import requests

from lab import io_arguments, message, now, record, report, watch_parent


def download_site(session, index, url, timeout):
    start = now()
    try:
        with session.get(url, timeout=timeout) as response:
            response.raise_for_status()
            return record(index, start, {"status": response.status_code, "bytes": len(response.content)})
    except Exception as error:  # noqa: BLE001 - a failed request is recorded, the others go on
        return record(index, start, error=message(error))


def main():
    args, sites = io_arguments(__doc__)
    start = now()
    with requests.Session() as session:
        outcomes = [download_site(session, index, url, args.timeout) for index, url in enumerate(sites)]
    end = now()
    report("io_requests", "requests", 1, start, end, outcomes)


if __name__ == "__main__":
    watch_parent()
    main()
