# The Debian packages, built with CPack from any build tree (`cpack -G DEB` after a Release build;
# tests/package/ does it and checks the result). One install component per package:
#   server  → loket-server   /usr/bin/loket-server, /usr/share/loket/{web,examples}, the service,
#                            /etc/loket/hall.toml, /etc/default/loket-server
#   kiosk   → loket-kiosk    /usr/bin/loket-kiosk, a user unit, /etc/loket/kiosk.toml
#   display → loket-display  /usr/bin/loket-display, a user unit, /etc/loket/display.toml
#   tools   → loket-tools    /usr/bin/loket-print, /usr/bin/loket-sim, /usr/share/loket/scenarios
#   common  → loket-common   /usr/share/loket/assets (translations, sounds), /usr/share/loket/printers
# The programs' own install() lines sit in their folders' CMakeLists.txt; the rest is here. Where
# an installed program finds its data: shared/paths (../share/loket beside its binary).
set(loket_packaging ${PROJECT_SOURCE_DIR}/packaging)
set(loket_generated ${PROJECT_BINARY_DIR}/packaging)

# --- Shared data (loket-common) ------------------------------------------------------------------
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION share/loket/assets COMPONENT common)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/firmware-config/printers/ DESTINATION share/loket/printers COMPONENT common)

# --- Configuration in /etc/loket (conffiles) -----------------------------------------------------
# Made from the examples in firmware-config/ so that they never drift: the same keys and comments,
# with the installed paths, a real printer and no demo credentials. A replacement that no longer
# matches its example stops the configure step, so a changed example is noticed here.
function(loket_packaged_config example output)
  file(READ ${PROJECT_SOURCE_DIR}/firmware-config/${example} text)
  set(pairs "${ARGN}")  # no ";" in the texts: it separates list items
  list(LENGTH pairs n)
  math(EXPR last "${n} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET pairs ${i} from)
    list(GET pairs ${j} to)
    string(FIND "${text}" "${from}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "packaging: firmware-config/${example} no longer contains '${from}'; update cmake/packaging.cmake")
    endif()
    string(REPLACE "${from}" "${to}" text "${text}")
  endforeach()
  file(WRITE ${loket_generated}/etc/loket/${output} "${text}")
endfunction()

# The server's example is the real-hall template: opening hours, no usable credentials.
loket_packaged_config(hall.gemeente.example.toml hall.toml
  "# Loket hall configuration"
  "# Loket hall configuration (/etc/loket/hall.toml, read by the loket-server service, see docs/deploy.md).\n# After a change: loket-server --config /etc/loket/hall.toml --check-config && systemctl restart loket-server\n#\n# Loket hall configuration")
loket_packaged_config(kiosk.example.toml kiosk.toml
  "device_token = \"demo-kiosk-token\""
  "device_token = \"\"   # empty: the kiosk pairs with the server and keeps its own credential (deploy.md, Device enrolment)"
  "profile = \"firmware-config/printers/"
  "profile = \"/usr/share/loket/printers/"
  "transport = \"file:var/print/\""
  "transport = \"device:/dev/usb/lp0\""
  "assets_dir = \"assets\""
  "# assets_dir = \"/usr/share/loket/assets\"   (the default when installed)")
loket_packaged_config(display.example.toml display.toml
  "token = \"demo-display-token\"          "
  "token = \"\"   # empty: the display pairs with the server (deploy.md, Device enrolment)"
  "assets_dir = \"assets\"                  # translations and sounds"
  "# assets_dir = \"/usr/share/loket/assets\"  # translations and sounds (the default when installed)")

install(FILES ${loket_generated}/etc/loket/hall.toml DESTINATION /etc/loket COMPONENT server)
# The demo hall of the README (open around the clock, PUBLISHED demo credentials): for a trial
# run and the package test, never for a real hall.
install(FILES ${PROJECT_SOURCE_DIR}/firmware-config/hall.example.toml DESTINATION share/loket/examples
        RENAME hall.demo.toml COMPONENT server)
install(FILES ${loket_packaging}/default/loket-server DESTINATION /etc/default COMPONENT server)
install(FILES ${loket_generated}/etc/loket/kiosk.toml DESTINATION /etc/loket COMPONENT kiosk)
install(FILES ${loket_generated}/etc/loket/display.toml DESTINATION /etc/loket COMPONENT display)

# --- systemd units -------------------------------------------------------------------------------
install(FILES ${loket_packaging}/systemd/loket-server.service DESTINATION /lib/systemd/system COMPONENT server)
install(FILES ${loket_packaging}/systemd/user/loket-kiosk.service DESTINATION lib/systemd/user COMPONENT kiosk)
install(FILES ${loket_packaging}/systemd/user/loket-display.service DESTINATION lib/systemd/user COMPONENT display)

# --- /usr/share/doc/<package>: copyright, changelog.gz, the deployment guide ---------------------
find_program(LOKET_GZIP gzip)
set(loket_changelog_gz ${loket_generated}/changelog.gz)
if(LOKET_GZIP)
  # -n: no name or time stamp in the archive, so the package is the same on every build.
  execute_process(COMMAND ${LOKET_GZIP} -9nc ${loket_packaging}/debian/changelog
                  OUTPUT_FILE ${loket_changelog_gz} RESULT_VARIABLE gzip_failed)
  if(gzip_failed)
    message(FATAL_ERROR "packaging: gzip of packaging/debian/changelog failed")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${loket_packaging}/debian/changelog)
endif()
set(loket_packages server kiosk display tools common)
foreach(component IN LISTS loket_packages)
  set(doc share/doc/loket-${component})
  install(FILES ${loket_packaging}/debian/copyright DESTINATION ${doc} COMPONENT ${component})
  if(LOKET_GZIP)
    install(FILES ${loket_changelog_gz} DESTINATION ${doc} COMPONENT ${component})
  endif()
endforeach()
foreach(component server kiosk display)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/deploy.md DESTINATION share/doc/loket-${component} COMPONENT ${component})
endforeach()

# --- CPack ---------------------------------------------------------------------------------------
set(LOKET_PACKAGE_MAINTAINER "Loket maintainers <maintainers@users.noreply.b-seed-063cb94a.example>"
    CACHE STRING "Maintainer field of the Debian packages")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME loket)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${loket_packages})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LOKET_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(loket_exact "(= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME loket-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "tzdata, init-system-helpers (>= 1.52)")
set(CPACK_DEBIAN_SERVER_DESCRIPTION "Loket hall server: queue tickets, counters and displays
The hall server of Loket, the queue-ticketing system for a municipal hall. It
keeps the day's tickets and appointments in SQLite, serves the HTTP API for
kiosks, hall displays and the appointment system, and the staff pages (counter
console, dashboard) and the visitor page.
.
It runs as the hardened systemd service loket-server (DynamicUser, state in
/var/lib/loket, logs in the journal). The hall is described in
/etc/loket/hall.toml; the service is not started until it is enabled.")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${loket_packaging}/debian/server/conffiles ${loket_packaging}/debian/server/postinst
    ${loket_packaging}/debian/server/prerm ${loket_packaging}/debian/server/postrm)

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME loket-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "loket-common ${loket_exact}, fonts-dejavu-core")
set(CPACK_DEBIAN_KIOSK_DESCRIPTION "Loket check-in kiosk for a municipal hall
The touch-screen kiosk of Loket: visitors check in for their appointment (by
booking code or QR scan) or take a walk-in number, in their own language, and
get a printed ticket from an ESC/POS receipt printer.
.
Runs full screen in a kiosk account's graphical session as the user unit
loket-kiosk; its settings are in /etc/loket/kiosk.toml.")
set(CPACK_DEBIAN_KIOSK_PACKAGE_CONTROL_EXTRA ${loket_packaging}/debian/kiosk/conffiles)

set(CPACK_DEBIAN_DISPLAY_PACKAGE_NAME loket-display)
set(CPACK_DEBIAN_DISPLAY_PACKAGE_DEPENDS "loket-common ${loket_exact}, fonts-dejavu-core")
set(CPACK_DEBIAN_DISPLAY_DESCRIPTION "Loket hall display: called numbers on a large screen
The hall display of Loket shows which ticket number is called to which
counter, with a chime and a spoken announcement, and the recent calls. It
follows the hall server's event stream.
.
Runs full screen in a display account's graphical session as the user unit
loket-display; its settings are in /etc/loket/display.toml.")
set(CPACK_DEBIAN_DISPLAY_PACKAGE_CONTROL_EXTRA ${loket_packaging}/debian/display/conffiles)

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME loket-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "loket-common ${loket_exact}, fonts-dejavu-core")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "Loket tools: ticket printer test and hall simulator
Command-line tools for Loket, the queue-ticketing system for a municipal hall:
.
 loket-print renders, prints and decodes receipt-printer tickets, asks a
 printer for its status and runs a virtual ESC/POS printer.
 loket-sim generates hall days and replays them under the dispatch policies
 to plan staffing.")

set(CPACK_DEBIAN_COMMON_PACKAGE_NAME loket-common)
set(CPACK_DEBIAN_COMMON_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_COMMON_DESCRIPTION "Loket shared data: translations, sounds, printer profiles
The data the Loket kiosk, hall display and tools share: the visitor texts in
every shipped language, the display's chime and the receipt-printer profiles
(paper width, dots, cutter and status support of each model).")

include(CPack)
