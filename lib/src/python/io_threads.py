"""The course's I/O program with requests on a ThreadPoolExecutor, one session per thread:
python3 io_threads.py --url http://127.0.0.1:8000/ --count 100 --workers 10   (or --urls a,b,c)
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from lab import io_arguments, message, now, record, report, watch_parent

thread_local = threading.local()


def get_session():
    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    return thread_local.session


def download_site(index, url, timeout):
    start = now()
    try:
        with get_session().get(url, timeout=timeout) as response:
            response.raise_for_status()
            return record(index, start, {"status": response.status_code, "bytes": len(response.content)})
    except Exception as error:  # noqa: BLE001 - a failed request is recorded, the others go on
        return record(index, start, error=message(error))


def main():
    args, sites = io_arguments(__doc__, workers=(int, 10, "threads in the pool"))
    start = now()
    with ThreadPoolExecutor(max_workers=args.workers) as executor:
        outcomes = list(executor.map(download_site, range(len(sites)), sites, [args.timeout] * len(sites)))
    end = now()
    report("io_threads", f"ThreadPoolExecutor({args.workers})", args.workers, start, end, outcomes)


if __name__ == "__main__":
    watch_parent()
    main()
