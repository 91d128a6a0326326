# The records fixture with brm's merge driver set up, for the merge-file-* cases: the
# .gitattributes that `brm init --merge-driver` commits, and the driver in the repository's
# git config (git reads drivers only from config). Usage, in a case's cmd:
#   . "$SOURCE_DIR/tests/cli/merge-fixture.sh"   (after the records fixture's `git` file)
brm init --merge-driver >/dev/null
git config merge.brm.driver "brm merge-file %O %A %B %P"
# A branch per side, both from main: `side a CMD...` runs CMD on branch a.
git branch a && git branch b
side() { git checkout -q "$1" && shift && "$@" >/dev/null; }
