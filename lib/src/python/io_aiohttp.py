"""The course's I/O program with aiohttp, every request at once with asyncio.gather:
python3 io_aiohttp.py --url http://127.0.0.1:8000/ --count 100   (or --urls a,b,c, taken in turn)
"""

import asyncio

import aiohttp

from lab import io_arguments, message, now, record, report, watch_parent


async def download_site(session, index, url):
    start = now()
    try:
        # requests' limit of redirects (aiohttp's own is 10), so every client follows the same chain.
        async with session.get(url, max_redirects=30) as response:
            response.raise_for_status()
            body = await response.read()
            return record(index, start, {"status": response.status, "bytes": len(body)})
    except Exception as error:  # noqa: BLE001 - a failed request is recorded, the others go on
        return record(index, start, error=message(error))


async def download_all_sites(sites, timeout):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        tasks = [download_site(session, index, url) for index, url in enumerate(sites)]
        return await asyncio.gather(*tasks)


def main():
    args, sites = io_arguments(__doc__)
    start = now()
    outcomes = asyncio.run(download_all_sites(sites, args.timeout))
    end = now()
    report("io_aiohttp", "aiohttp gather", 1, start, end, outcomes)


if __name__ == "__main__":
    watch_parent()
    main()
