"""`python -m bench` (`make bench`): the scale benchmark of issue 9 (bench.run); arguments pass through."""

from bench.run import main

if __name__ == "__main__":
    main()
