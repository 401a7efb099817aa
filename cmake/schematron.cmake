# Compile the Peppol BIS Billing 3.0 business rules (ISO Schematron,
# data/schemas/peppol-bis-billing-3/rules/sch) into XSLT once, at build
# time, with SchXslt 2.0 (data/schemas/schxslt-2.0) run by Saxon-HE from
# Debian (libsaxonhe-java, and a JRE). src/io/ublcheck runs the compiled
# stylesheets at validation time; the directory they are in, the Java and
# the Saxon jar found here become its defaults (BIDRAG_SCHEMATRON_DIR,
# BIDRAG_JAVA, BIDRAG_SAXON_JAR; the environment may override them).
#
# Each rule set's release, read from its header, and the sha256 of its
# .sch go into release.txt beside the stylesheets; every validation result
# carries them. Without Java or Saxon nothing is compiled and the
# validator says so (its tests fail under CI=true).
function(bidrag_schematron lib)
  set(sch_dir ${CMAKE_SOURCE_DIR}/data/schemas/peppol-bis-billing-3/rules/sch)
  set(schxslt ${CMAKE_SOURCE_DIR}/data/schemas/schxslt-2.0)
  set(out ${CMAKE_BINARY_DIR}/schematron)
  set(rules PEPPOL-EN16931-UBL CEN-EN16931-UBL)
  find_program(BIDRAG_JAVA java)
  find_file(BIDRAG_SAXON_JAR Saxon-HE.jar PATHS /usr/share/java NO_DEFAULT_PATH)
  file(MAKE_DIRECTORY ${out})
  set(release "")
  foreach(r ${rules})
    set(sch ${sch_dir}/${r}.sch)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sch})
    file(STRINGS ${sch} head LIMIT_COUNT 12)
    string(REGEX MATCH "release ([0-9][0-9.]*[0-9])" m1 "${head}")
    set(ver ${CMAKE_MATCH_1})
    if(NOT ver)
      string(REGEX MATCH "Schematron version ([0-9][0-9.]*[0-9])" m2 "${head}")
      set(ver ${CMAKE_MATCH_1})
    endif()
    if(NOT ver)
      message(FATAL_ERROR "${sch}: no release in its header")
    endif()
    file(SHA256 ${sch} sum)
    string(APPEND release "${r} ${ver} sha256=${sum}\n")
  endforeach()
  file(WRITE ${out}/release.txt.tmp "${release}")
  file(COPY_FILE ${out}/release.txt.tmp ${out}/release.txt ONLY_IF_DIFFERENT)
  target_compile_definitions(${lib} PUBLIC BIDRAG_SCHEMATRON_DIR="${out}")
  if(NOT BIDRAG_JAVA OR NOT BIDRAG_SAXON_JAR)
    message(WARNING "java or Saxon-HE.jar missing (Debian: default-jre-headless, libsaxonhe-java): "
                    "the Peppol rules are not compiled and invoices cannot be validated")
    return()
  endif()
  target_compile_definitions(${lib} PUBLIC BIDRAG_JAVA="${BIDRAG_JAVA}"
                             BIDRAG_SAXON_JAR="${BIDRAG_SAXON_JAR}")
  file(GLOB_RECURSE schxslt_files CONFIGURE_DEPENDS ${schxslt}/*.xsl)
  set(outputs "")
  foreach(r ${rules})
    add_custom_command(OUTPUT ${out}/${r}.xsl
      COMMAND ${BIDRAG_JAVA} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar ${BIDRAG_SAXON_JAR}
              -s:${sch_dir}/${r}.sch -xsl:${schxslt}/pipeline-for-svrl.xsl -o:${out}/${r}.xsl.tmp
      COMMAND ${CMAKE_COMMAND} -E rename ${out}/${r}.xsl.tmp ${out}/${r}.xsl
      DEPENDS ${sch_dir}/${r}.sch ${schxslt_files}
      COMMENT "Schematron ${r}: compiling to XSLT (SchXslt 2.0, Saxon-HE)")
    list(APPEND outputs ${out}/${r}.xsl)
  endforeach()
  add_custom_target(schematron ALL DEPENDS ${outputs})
endfunction()
