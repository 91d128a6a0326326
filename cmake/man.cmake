# Builds the installed manual tree from man/: OUT/manN/PAGE.N.gz, compressed as Debian
# does (gzip -9n: no name or time, so the result is reproducible), and a page that only
# points at another (a symbolic link, or a ".so manN/OTHER.N" line, which man -l cannot
# follow) becomes a link to the other's .gz.
#   cmake -DSRC=man -DOUT=build/man -P cmake/man.cmake
file(REMOVE_RECURSE ${OUT})
file(GLOB pages ${SRC}/*.[157])
foreach(page ${pages})
  get_filename_component(name ${page} NAME)
  string(REGEX REPLACE ".*\\.([157])$" "\\1" section ${name})
  set(dir ${OUT}/man${section})
  file(MAKE_DIRECTORY ${dir})
  set(target "")
  if(IS_SYMLINK ${page})
    file(READ_SYMLINK ${page} target)
    get_filename_component(target ${target} NAME)
  else()
    file(STRINGS ${page} first LIMIT_COUNT 1)
    if(first MATCHES "^\\.so man[157]/([^ ]+)$")
      set(target ${CMAKE_MATCH_1})
    endif()
  endif()
  if(target)
    file(CREATE_LINK ${target}.gz ${dir}/${name}.gz SYMBOLIC)
  else()
    execute_process(COMMAND gzip -9nc ${page} OUTPUT_FILE ${dir}/${name}.gz
                    RESULT_VARIABLE failed)
    if(failed)
      message(FATAL_ERROR "gzip ${page} failed")
    endif()
  endif()
endforeach()
file(TOUCH ${OUT}/.stamp)
