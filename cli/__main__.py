"""`python -m cli`: the samestory command. Worker processes import this module
too (as their parent's main module), so it imports the commands only when run."""

if __name__ == "__main__":
    from cli.app import main

    main()
