"""Asset scripts: the shipped sample videos and the real demo walk."""
