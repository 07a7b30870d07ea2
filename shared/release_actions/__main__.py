from release_actions.cli import entrypoint

if __name__ == "__main__":
    entrypoint()
