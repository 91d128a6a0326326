# brm_embed(OUT BASE FILE...): writes OUT, a C++ source that defines
# brm::embedded_files(), the given files' contents keyed by their path relative to BASE.
function(brm_embed out base)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE=${base} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding schemas and examples"
    VERBATIM)
endfunction()
