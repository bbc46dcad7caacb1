"""blog/outputs.py (`make outputs`): shown outputs are rewritten from what the blocks print."""

import pytest

from blog.outputs import built_with, update
from blog.post import Post
from blog.project import PostError

FRONT = "---\ndate: 2026-01-02\n---\n\n# A post\n\n"
BLOCK = '```python\nprint("printed", 2 + 2)\n```\n'
SHOWN = '<!-- pytest-codeblocks:expected-output -->\n```text title="Output"\n{}\n```\n'


def write(tmp_path, markdown: str) -> Post:
    path = tmp_path / "post.md"
    path.write_text(FRONT + markdown)
    return Post.read(path)


def test_a_hand_broken_output_is_rewritten_to_the_true_one(tmp_path):
    post = write(tmp_path, BLOCK + SHOWN.format("printed 5") + "\nThe end.\n")
    assert update(post, ("cpu", built_with())) == 1
    assert post.path.read_text() == FRONT + BLOCK + SHOWN.format("printed 4") + "\nThe end.\n"
    assert update(Post.read(post.path), ("cpu", built_with())) == 0  # true outputs are left alone


def test_a_missing_output_is_added_under_its_block(tmp_path):
    post = write(tmp_path, BLOCK)
    update(post, ("cpu", built_with()))
    assert post.path.read_text() == FRONT + BLOCK + SHOWN.format("printed 4")


def test_on_another_backend_the_output_is_kept_unshown_and_the_block_marked(tmp_path):
    post = write(tmp_path, BLOCK + SHOWN.format("printed 5"))
    update(post, ("gpu", built_with()))
    expected = ('<!-- pytest.mark.output_backend("cpu") -->\n' + BLOCK + SHOWN.format("printed 5")
                + "<!-- output on gpu:\nprinted 4\n-->\n")  # fmt: skip
    assert post.path.read_text() == FRONT + expected
    assert Post.read(post.path).blocks[0].output_for(("gpu", built_with())) == "printed 4\n"


def test_an_output_from_a_results_file_is_refused(tmp_path):
    post = write(tmp_path, BLOCK + SHOWN.format('--8<-- "docs/results/cpu/jit_timing.txt"'))
    with pytest.raises(PostError, match="make bench writes it"):
        update(post, ("cpu", built_with()))


def test_with_another_jax_the_difference_is_put_down_to_jax_not_the_backend(tmp_path):
    post = write(tmp_path, BLOCK + SHOWN.format("printed 5"))
    update(post, ("gpu", "jax 99.0"))
    series = built_with().removeprefix("jax ")
    expected = (f'<!-- pytest.mark.output_jax("{series}") -->\n' + BLOCK + SHOWN.format("printed 5")
                + "<!-- output on jax 99.0:\nprinted 4\n-->\n")  # fmt: skip
    assert post.path.read_text() == FRONT + expected
    assert Post.read(post.path).blocks[0].output_for(("cpu", "jax 99.0")) == "printed 4\n"
