// libgit2, loaded on the first call (see CLazyLoad.h). Every libgit2 function the program calls has a line here;
// a new call that lacks one fails to link with "undefined reference to git_…": add its line.
#include "CGit2.h"
#include "CLazyLoad.h"

// The soname of the libgit2 these headers belong to (LIBGIT2_SOVERSION changes with each minor release).
static struct lazy_library git2 = {
    .soname = "libgit2.so." LIBGIT2_SOVERSION,
    .debian_package = "libgit2-" LIBGIT2_SOVERSION,
};

const char *cgit2_load(void) { return lazy_library_load(&git2); }

LAZY_FORWARD(git2, int, git_libgit2_init, (void), ())
LAZY_FORWARD(git2, int, git_libgit2_shutdown, (void), ())
LAZY_FORWARD(git2, int, git_libgit2_features, (void), ())
LAZY_FORWARD(git2, const git_error *, git_error_last, (void), ())
LAZY_FORWARD(git2, int, git_error_set_str, (int error_class, const char *string), (error_class, string))
LAZY_FORWARD_VOID(git2, git_buf_dispose, (git_buf *buffer), (buffer))
LAZY_FORWARD(git2, int, git_oid_fromstr, (git_oid *out, const char *str), (out, str))
LAZY_FORWARD(git2, char *, git_oid_tostr, (char *out, size_t n, const git_oid *id), (out, n, id))
LAZY_FORWARD(git2, int, git_repository_init,
             (git_repository **out, const char *path, unsigned is_bare),
             (out, path, is_bare))
LAZY_FORWARD(git2, int, git_repository_open_bare, (git_repository **out, const char *bare_path), (out, bare_path))
LAZY_FORWARD_VOID(git2, git_repository_free, (git_repository *repo), (repo))
LAZY_FORWARD(git2, int, git_reference_lookup,
             (git_reference **out, git_repository *repo, const char *name),
             (out, repo, name))
LAZY_FORWARD(git2, int, git_reference_peel,
             (git_object **out, const git_reference *ref, git_object_t type),
             (out, ref, type))
LAZY_FORWARD_VOID(git2, git_reference_free, (git_reference *ref), (ref))
LAZY_FORWARD(git2, const git_oid *, git_object_id, (const git_object *obj), (obj))
LAZY_FORWARD_VOID(git2, git_object_free, (git_object *object), (object))
LAZY_FORWARD(git2, int, git_commit_lookup,
             (git_commit **commit, git_repository *repo, const git_oid *id),
             (commit, repo, id))
LAZY_FORWARD(git2, const git_oid *, git_commit_id, (const git_commit *commit), (commit))
LAZY_FORWARD(git2, const git_signature *, git_commit_author, (const git_commit *commit), (commit))
LAZY_FORWARD(git2, const char *, git_commit_message, (const git_commit *commit), (commit))
LAZY_FORWARD(git2, const char *, git_commit_summary, (git_commit *commit), (commit))
LAZY_FORWARD(git2, git_time_t, git_commit_time, (const git_commit *commit), (commit))
LAZY_FORWARD(git2, int, git_commit_tree, (git_tree **tree_out, const git_commit *commit), (tree_out, commit))
LAZY_FORWARD_VOID(git2, git_commit_free, (git_commit *commit), (commit))
LAZY_FORWARD(git2, int, git_tree_entry_bypath,
             (git_tree_entry **out, const git_tree *root, const char *path),
             (out, root, path))
LAZY_FORWARD(git2, const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), (entry))
LAZY_FORWARD(git2, git_object_t, git_tree_entry_type, (const git_tree_entry *entry), (entry))
LAZY_FORWARD_VOID(git2, git_tree_entry_free, (git_tree_entry *entry), (entry))
LAZY_FORWARD_VOID(git2, git_tree_free, (git_tree *tree), (tree))
LAZY_FORWARD(git2, int, git_blob_lookup, (git_blob **blob, git_repository *repo, const git_oid *id), (blob, repo, id))
LAZY_FORWARD(git2, const void *, git_blob_rawcontent, (const git_blob *blob), (blob))
LAZY_FORWARD(git2, git_object_size_t, git_blob_rawsize, (const git_blob *blob), (blob))
LAZY_FORWARD_VOID(git2, git_blob_free, (git_blob *blob), (blob))
LAZY_FORWARD(git2, int, git_credential_userpass_plaintext_new,
             (git_credential **out, const char *username, const char *password),
             (out, username, password))
LAZY_FORWARD(git2, int, git_credential_username_new, (git_credential **out, const char *username), (out, username))
LAZY_FORWARD(git2, int, git_credential_ssh_key_new,
             (git_credential **out, const char *username, const char *publickey, const char *privatekey,
              const char *passphrase),
             (out, username, publickey, privatekey, passphrase))
LAZY_FORWARD(git2, int, git_fetch_options_init, (git_fetch_options *opts, unsigned int version), (opts, version))
LAZY_FORWARD(git2, int, git_proxy_options_init, (git_proxy_options *opts, unsigned int version), (opts, version))
LAZY_FORWARD(git2, int, git_remote_init_callbacks, (git_remote_callbacks *opts, unsigned int version), (opts, version))
LAZY_FORWARD(git2, int, git_remote_create,
             (git_remote **out, git_repository *repo, const char *name, const char *url),
             (out, repo, name, url))
LAZY_FORWARD(git2, int, git_remote_lookup,
             (git_remote **out, git_repository *repo, const char *name),
             (out, repo, name))
LAZY_FORWARD(git2, int, git_remote_dup, (git_remote **dest, git_remote *source), (dest, source))
LAZY_FORWARD(git2, const char *, git_remote_url, (const git_remote *remote), (remote))
LAZY_FORWARD(git2, int, git_remote_set_instance_url, (git_remote *remote, const char *url), (remote, url))
LAZY_FORWARD(git2, int, git_remote_connect,
             (git_remote *remote, git_direction direction, const git_remote_callbacks *callbacks,
              const git_proxy_options *proxy_opts, const git_strarray *custom_headers),
             (remote, direction, callbacks, proxy_opts, custom_headers))
LAZY_FORWARD(git2, int, git_remote_default_branch, (git_buf *out, git_remote *remote), (out, remote))
LAZY_FORWARD(git2, int, git_remote_download,
             (git_remote *remote, const git_strarray *refspecs, const git_fetch_options *opts),
             (remote, refspecs, opts))
LAZY_FORWARD(git2, int, git_remote_update_tips,
             (git_remote *remote, const git_remote_callbacks *callbacks, int update_fetchhead,
              git_remote_autotag_option_t download_tags, const char *reflog_message),
             (remote, callbacks, update_fetchhead, download_tags, reflog_message))
LAZY_FORWARD(git2, int, git_remote_prune,
             (git_remote *remote, const git_remote_callbacks *callbacks),
             (remote, callbacks))
LAZY_FORWARD(git2, int, git_remote_disconnect, (git_remote *remote), (remote))
LAZY_FORWARD_VOID(git2, git_remote_free, (git_remote *remote), (remote))
