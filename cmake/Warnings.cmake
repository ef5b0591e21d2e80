# Warnings for our own targets only; third-party headers come in as SYSTEM includes.
function(slack_intel_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wimplicit-fallthrough)
  if(SLACK_INTEL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
