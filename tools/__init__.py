"""Authoring tools behind the Makefile: start a post, pick the tests for one post."""
