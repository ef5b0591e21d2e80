# ASan + UBSan for the test build. UBSan findings abort (no recover) so a test cannot pass over one.
if(SLACK_INTEL_SANITIZE)
  # -O1 keeps sanitized tests quick; later flags win over the build type's -O0.
  add_compile_options(-O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
