"""`python -m bench` (`make bench`): the API latency benchmark with its defaults; arguments pass through."""

from bench.api_latency import main

if __name__ == "__main__":
    main()
