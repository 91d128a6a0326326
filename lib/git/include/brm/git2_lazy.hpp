// libgit2, loaded when brm first needs it, not when brm starts.
//
// libgit2 and what it links (OpenSSL, mbedTLS, Kerberos, libssh2: 15 shared libraries in all)
// cost every run some 9 ms to load, and most commands (check, show, list, measure at the
// work tree) never call it; git itself keeps libcurl out of its main program for the
// same reason. So brm does not link libgit2: every function of it that brm calls is
// looked up once, on first use, in the library opened with dlopen (git2_lazy.cpp), and a
// macro of the function's own name makes each call site go through that lookup.
//
// A call to a libgit2 function missing from the list below fails to link (undefined
// symbol), so none can slip past it; it holds the functions the tests call too.
// Include this header instead of <git2.h>.
#pragma once

#include <git2.h>
#include <git2/sys/repository.h>

namespace brm::gitx::lazy {

// The address of libgit2's function `name`; throws Error(Git) when libgit2 cannot be
// loaded or lacks it.
void* symbol(const char* name);

#define BRM_GIT2_FUNCTIONS(X)         \
  X(git_attr_get)                     \
  X(git_attr_get_ext)                 \
  X(git_attr_value)                   \
  X(git_blob_create_from_buffer)      \
  X(git_blob_create_from_workdir)     \
  X(git_blob_free)                    \
  X(git_blob_lookup)                  \
  X(git_blob_rawcontent)              \
  X(git_blob_rawsize)                 \
  X(git_buf_dispose)                  \
  X(git_commit_author)                \
  X(git_commit_create)                \
  X(git_commit_create_buffer)         \
  X(git_commit_create_with_signature) \
  X(git_commit_free)                  \
  X(git_commit_id)                    \
  X(git_commit_lookup)                \
  X(git_commit_parent)                \
  X(git_commit_parentcount)           \
  X(git_commit_summary)               \
  X(git_commit_time)                  \
  X(git_commit_tree)                  \
  X(git_commit_tree_id)               \
  X(git_config_free)                  \
  X(git_config_get_bool)              \
  X(git_config_get_path)              \
  X(git_config_get_string_buf)        \
  X(git_config_iterator_free)         \
  X(git_config_multivar_iterator_new) \
  X(git_config_next)                  \
  X(git_config_open_default)          \
  X(git_config_open_level)            \
  X(git_config_parse_path)            \
  X(git_error_clear)                  \
  X(git_error_last)                   \
  X(git_filter_list_apply_to_buffer)  \
  X(git_filter_list_free)             \
  X(git_filter_list_load)             \
  X(git_ignore_path_is_ignored)       \
  X(git_index_add)                    \
  X(git_index_add_bypath)             \
  X(git_index_conflict_add)           \
  X(git_index_entrycount)             \
  X(git_index_free)                   \
  X(git_index_get_bypath)             \
  X(git_index_new)                    \
  X(git_index_open)                   \
  X(git_index_path)                   \
  X(git_index_read)                   \
  X(git_index_read_tree)              \
  X(git_index_remove_bypath)          \
  X(git_index_set_caps)               \
  X(git_index_write)                  \
  X(git_index_write_tree)             \
  X(git_index_write_tree_to)          \
  X(git_libgit2_init)                 \
  X(git_libgit2_opts)                 \
  X(git_libgit2_shutdown)             \
  X(git_merge_file)                   \
  X(git_merge_file_input_init)        \
  X(git_merge_file_options_init)      \
  X(git_merge_file_result_free)       \
  X(git_message_prettify)             \
  X(git_object_free)                  \
  X(git_object_peel)                  \
  X(git_odb_add_disk_alternate)       \
  X(git_odb_free)                     \
  X(git_odb_hash)                     \
  X(git_odb_open)                     \
  X(git_oid_cmp)                      \
  X(git_oid_cpy)                      \
  X(git_oid_equal)                    \
  X(git_oid_fromstr)                  \
  X(git_oid_fromstrn)                 \
  X(git_oid_tostr)                    \
  X(git_reference_create)             \
  X(git_reference_create_matching)    \
  X(git_reference_free)               \
  X(git_reference_lookup)             \
  X(git_reference_name_to_id)         \
  X(git_reference_symbolic_target)    \
  X(git_reference_type)               \
  X(git_repository_commondir)         \
  X(git_repository_config_snapshot)   \
  X(git_repository_free)              \
  X(git_repository_head_detached)     \
  X(git_repository_index)             \
  X(git_repository_init)              \
  X(git_repository_init_ext)          \
  X(git_repository_is_bare)           \
  X(git_repository_item_path)         \
  X(git_repository_odb)               \
  X(git_repository_open)              \
  X(git_repository_open_ext)          \
  X(git_repository_path)              \
  X(git_repository_set_index)         \
  X(git_repository_set_namespace)     \
  X(git_repository_set_odb)           \
  X(git_repository_set_workdir)       \
  X(git_repository_state)             \
  X(git_repository_workdir)           \
  X(git_revparse_single)              \
  X(git_signature_free)               \
  X(git_signature_new)                \
  X(git_signature_now)                \
  X(git_tree_create_updated)          \
  X(git_tree_dup)                     \
  X(git_tree_entry_byindex)           \
  X(git_tree_entry_byname)            \
  X(git_tree_entry_bypath)            \
  X(git_tree_entry_cmp)               \
  X(git_tree_entry_filemode)          \
  X(git_tree_entry_free)              \
  X(git_tree_entry_id)                \
  X(git_tree_entry_name)              \
  X(git_tree_entry_type)              \
  X(git_tree_entrycount)              \
  X(git_tree_free)                    \
  X(git_tree_id)                      \
  X(git_tree_lookup)                  \
  X(git_treebuilder_free)             \
  X(git_treebuilder_new)              \
  X(git_treebuilder_write)

#define BRM_GIT2_ACCESSOR(name)                                               \
  inline decltype(&::name) name##_fn() {                                      \
    static const auto f = reinterpret_cast<decltype(&::name)>(symbol(#name)); \
    return f;                                                                 \
  }
BRM_GIT2_FUNCTIONS(BRM_GIT2_ACCESSOR)
#undef BRM_GIT2_ACCESSOR

}  // namespace brm::gitx::lazy

// clang-format off
#define git_attr_get (*::brm::gitx::lazy::git_attr_get_fn())
#define git_attr_get_ext (*::brm::gitx::lazy::git_attr_get_ext_fn())
#define git_attr_value (*::brm::gitx::lazy::git_attr_value_fn())
#define git_blob_create_from_buffer (*::brm::gitx::lazy::git_blob_create_from_buffer_fn())
#define git_blob_create_from_workdir (*::brm::gitx::lazy::git_blob_create_from_workdir_fn())
#define git_blob_free (*::brm::gitx::lazy::git_blob_free_fn())
#define git_blob_lookup (*::brm::gitx::lazy::git_blob_lookup_fn())
#define git_blob_rawcontent (*::brm::gitx::lazy::git_blob_rawcontent_fn())
#define git_blob_rawsize (*::brm::gitx::lazy::git_blob_rawsize_fn())
#define git_buf_dispose (*::brm::gitx::lazy::git_buf_dispose_fn())
#define git_commit_author (*::brm::gitx::lazy::git_commit_author_fn())
#define git_commit_create (*::brm::gitx::lazy::git_commit_create_fn())
#define git_commit_create_buffer (*::brm::gitx::lazy::git_commit_create_buffer_fn())
#define git_commit_create_with_signature (*::brm::gitx::lazy::git_commit_create_with_signature_fn())
#define git_commit_free (*::brm::gitx::lazy::git_commit_free_fn())
#define git_commit_id (*::brm::gitx::lazy::git_commit_id_fn())
#define git_commit_lookup (*::brm::gitx::lazy::git_commit_lookup_fn())
#define git_commit_parent (*::brm::gitx::lazy::git_commit_parent_fn())
#define git_commit_parentcount (*::brm::gitx::lazy::git_commit_parentcount_fn())
#define git_commit_summary (*::brm::gitx::lazy::git_commit_summary_fn())
#define git_commit_time (*::brm::gitx::lazy::git_commit_time_fn())
#define git_commit_tree (*::brm::gitx::lazy::git_commit_tree_fn())
#define git_commit_tree_id (*::brm::gitx::lazy::git_commit_tree_id_fn())
#define git_config_free (*::brm::gitx::lazy::git_config_free_fn())
#define git_config_get_bool (*::brm::gitx::lazy::git_config_get_bool_fn())
#define git_config_get_path (*::brm::gitx::lazy::git_config_get_path_fn())
#define git_config_get_string_buf (*::brm::gitx::lazy::git_config_get_string_buf_fn())
#define git_config_iterator_free (*::brm::gitx::lazy::git_config_iterator_free_fn())
#define git_config_multivar_iterator_new (*::brm::gitx::lazy::git_config_multivar_iterator_new_fn())
#define git_config_next (*::brm::gitx::lazy::git_config_next_fn())
#define git_config_open_default (*::brm::gitx::lazy::git_config_open_default_fn())
#define git_config_open_level (*::brm::gitx::lazy::git_config_open_level_fn())
#define git_config_parse_path (*::brm::gitx::lazy::git_config_parse_path_fn())
#define git_error_clear (*::brm::gitx::lazy::git_error_clear_fn())
#define git_error_last (*::brm::gitx::lazy::git_error_last_fn())
#define git_filter_list_apply_to_buffer (*::brm::gitx::lazy::git_filter_list_apply_to_buffer_fn())
#define git_filter_list_free (*::brm::gitx::lazy::git_filter_list_free_fn())
#define git_filter_list_load (*::brm::gitx::lazy::git_filter_list_load_fn())
#define git_ignore_path_is_ignored (*::brm::gitx::lazy::git_ignore_path_is_ignored_fn())
#define git_index_add (*::brm::gitx::lazy::git_index_add_fn())
#define git_index_add_bypath (*::brm::gitx::lazy::git_index_add_bypath_fn())
#define git_index_conflict_add (*::brm::gitx::lazy::git_index_conflict_add_fn())
#define git_index_entrycount (*::brm::gitx::lazy::git_index_entrycount_fn())
#define git_index_free (*::brm::gitx::lazy::git_index_free_fn())
#define git_index_get_bypath (*::brm::gitx::lazy::git_index_get_bypath_fn())
#define git_index_new (*::brm::gitx::lazy::git_index_new_fn())
#define git_index_open (*::brm::gitx::lazy::git_index_open_fn())
#define git_index_path (*::brm::gitx::lazy::git_index_path_fn())
#define git_index_read (*::brm::gitx::lazy::git_index_read_fn())
#define git_index_read_tree (*::brm::gitx::lazy::git_index_read_tree_fn())
#define git_index_remove_bypath (*::brm::gitx::lazy::git_index_remove_bypath_fn())
#define git_index_set_caps (*::brm::gitx::lazy::git_index_set_caps_fn())
#define git_index_write (*::brm::gitx::lazy::git_index_write_fn())
#define git_index_write_tree (*::brm::gitx::lazy::git_index_write_tree_fn())
#define git_index_write_tree_to (*::brm::gitx::lazy::git_index_write_tree_to_fn())
#define git_libgit2_init (*::brm::gitx::lazy::git_libgit2_init_fn())
#define git_libgit2_opts (*::brm::gitx::lazy::git_libgit2_opts_fn())
#define git_libgit2_shutdown (*::brm::gitx::lazy::git_libgit2_shutdown_fn())
#define git_merge_file (*::brm::gitx::lazy::git_merge_file_fn())
#define git_merge_file_input_init (*::brm::gitx::lazy::git_merge_file_input_init_fn())
#define git_merge_file_options_init (*::brm::gitx::lazy::git_merge_file_options_init_fn())
#define git_merge_file_result_free (*::brm::gitx::lazy::git_merge_file_result_free_fn())
#define git_message_prettify (*::brm::gitx::lazy::git_message_prettify_fn())
#define git_object_free (*::brm::gitx::lazy::git_object_free_fn())
#define git_object_peel (*::brm::gitx::lazy::git_object_peel_fn())
#define git_odb_add_disk_alternate (*::brm::gitx::lazy::git_odb_add_disk_alternate_fn())
#define git_odb_free (*::brm::gitx::lazy::git_odb_free_fn())
#define git_odb_hash (*::brm::gitx::lazy::git_odb_hash_fn())
#define git_odb_open (*::brm::gitx::lazy::git_odb_open_fn())
#define git_oid_cmp (*::brm::gitx::lazy::git_oid_cmp_fn())
#define git_oid_cpy (*::brm::gitx::lazy::git_oid_cpy_fn())
#define git_oid_equal (*::brm::gitx::lazy::git_oid_equal_fn())
#define git_oid_fromstr (*::brm::gitx::lazy::git_oid_fromstr_fn())
#define git_oid_fromstrn (*::brm::gitx::lazy::git_oid_fromstrn_fn())
#define git_oid_tostr (*::brm::gitx::lazy::git_oid_tostr_fn())
#define git_reference_create (*::brm::gitx::lazy::git_reference_create_fn())
#define git_reference_create_matching (*::brm::gitx::lazy::git_reference_create_matching_fn())
#define git_reference_free (*::brm::gitx::lazy::git_reference_free_fn())
#define git_reference_lookup (*::brm::gitx::lazy::git_reference_lookup_fn())
#define git_reference_name_to_id (*::brm::gitx::lazy::git_reference_name_to_id_fn())
#define git_reference_symbolic_target (*::brm::gitx::lazy::git_reference_symbolic_target_fn())
#define git_reference_type (*::brm::gitx::lazy::git_reference_type_fn())
#define git_repository_commondir (*::brm::gitx::lazy::git_repository_commondir_fn())
#define git_repository_config_snapshot (*::brm::gitx::lazy::git_repository_config_snapshot_fn())
#define git_repository_free (*::brm::gitx::lazy::git_repository_free_fn())
#define git_repository_head_detached (*::brm::gitx::lazy::git_repository_head_detached_fn())
#define git_repository_index (*::brm::gitx::lazy::git_repository_index_fn())
#define git_repository_init (*::brm::gitx::lazy::git_repository_init_fn())
#define git_repository_init_ext (*::brm::gitx::lazy::git_repository_init_ext_fn())
#define git_repository_is_bare (*::brm::gitx::lazy::git_repository_is_bare_fn())
#define git_repository_item_path (*::brm::gitx::lazy::git_repository_item_path_fn())
#define git_repository_odb (*::brm::gitx::lazy::git_repository_odb_fn())
#define git_repository_open (*::brm::gitx::lazy::git_repository_open_fn())
#define git_repository_open_ext (*::brm::gitx::lazy::git_repository_open_ext_fn())
#define git_repository_path (*::brm::gitx::lazy::git_repository_path_fn())
#define git_repository_set_index (*::brm::gitx::lazy::git_repository_set_index_fn())
#define git_repository_set_namespace (*::brm::gitx::lazy::git_repository_set_namespace_fn())
#define git_repository_set_odb (*::brm::gitx::lazy::git_repository_set_odb_fn())
#define git_repository_set_workdir (*::brm::gitx::lazy::git_repository_set_workdir_fn())
#define git_repository_state (*::brm::gitx::lazy::git_repository_state_fn())
#define git_repository_workdir (*::brm::gitx::lazy::git_repository_workdir_fn())
#define git_revparse_single (*::brm::gitx::lazy::git_revparse_single_fn())
#define git_signature_free (*::brm::gitx::lazy::git_signature_free_fn())
#define git_signature_new (*::brm::gitx::lazy::git_signature_new_fn())
#define git_signature_now (*::brm::gitx::lazy::git_signature_now_fn())
#define git_tree_create_updated (*::brm::gitx::lazy::git_tree_create_updated_fn())
#define git_tree_dup (*::brm::gitx::lazy::git_tree_dup_fn())
#define git_tree_entry_byindex (*::brm::gitx::lazy::git_tree_entry_byindex_fn())
#define git_tree_entry_byname (*::brm::gitx::lazy::git_tree_entry_byname_fn())
#define git_tree_entry_bypath (*::brm::gitx::lazy::git_tree_entry_bypath_fn())
#define git_tree_entry_cmp (*::brm::gitx::lazy::git_tree_entry_cmp_fn())
#define git_tree_entry_filemode (*::brm::gitx::lazy::git_tree_entry_filemode_fn())
#define git_tree_entry_free (*::brm::gitx::lazy::git_tree_entry_free_fn())
#define git_tree_entry_id (*::brm::gitx::lazy::git_tree_entry_id_fn())
#define git_tree_entry_name (*::brm::gitx::lazy::git_tree_entry_name_fn())
#define git_tree_entry_type (*::brm::gitx::lazy::git_tree_entry_type_fn())
#define git_tree_entrycount (*::brm::gitx::lazy::git_tree_entrycount_fn())
#define git_tree_free (*::brm::gitx::lazy::git_tree_free_fn())
#define git_tree_id (*::brm::gitx::lazy::git_tree_id_fn())
#define git_tree_lookup (*::brm::gitx::lazy::git_tree_lookup_fn())
#define git_treebuilder_free (*::brm::gitx::lazy::git_treebuilder_free_fn())
#define git_treebuilder_new (*::brm::gitx::lazy::git_treebuilder_new_fn())
#define git_treebuilder_write (*::brm::gitx::lazy::git_treebuilder_write_fn())
// clang-format on
