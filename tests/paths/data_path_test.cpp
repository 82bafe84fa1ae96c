// Where installed programs find their data (shared/paths): beside their binary in
// ../share/loket when installed, the in-tree default otherwise.
#include "shared/paths/data_path.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

namespace fs = std::filesystem;
using loket::paths::dataPath;
using loket::paths::dataPathFor;

namespace {

// A scratch root laid out like an installed system: <root>/usr/bin/<program>.
struct ScratchRoot {
    fs::path root;
    ScratchRoot() {
        std::string pattern = (fs::temp_directory_path() / "loket-paths-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        root = pattern;
        fs::create_directories(root / "usr" / "bin");
        std::ofstream(root / "usr" / "bin" / "loket-server") << "#!/bin/sh\n";
    }
    ~ScratchRoot() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fs::path binary() const { return root / "usr" / "bin" / "loket-server"; }
};

} // namespace

TEST_CASE("package: an installed program finds its data in ../share/loket beside its binary") {
    ScratchRoot r;
    fs::create_directories(r.root / "usr" / "share" / "loket" / "web");
    CHECK(dataPathFor(r.binary(), "web", "/src/server/web") == r.root / "usr" / "share" / "loket" / "web");
    fs::create_directories(r.root / "usr" / "share" / "loket" / "printers");
    std::ofstream(r.root / "usr" / "share" / "loket" / "printers" / "epson-tm-t20iii.toml") << "name = \"x\"\n";
    CHECK(dataPathFor(r.binary(), "printers/epson-tm-t20iii.toml", "firmware-config/printers/epson-tm-t20iii.toml") ==
          r.root / "usr" / "share" / "loket" / "printers" / "epson-tm-t20iii.toml");
}

TEST_CASE("package: in a build tree, or for data the package does not hold, the in-tree default stays") {
    ScratchRoot r;
    // No share/loket at all: a program in a build directory.
    CHECK(dataPathFor(r.binary(), "web", "/src/server/web") == fs::path("/src/server/web"));
    // share/loket exists but not this piece (e.g. loket-sim installed without loket-common).
    fs::create_directories(r.root / "usr" / "share" / "loket" / "web");
    CHECK(dataPathFor(r.binary(), "assets", "assets") == fs::path("assets"));
    // Unknown executable path (no /proc): the default.
    CHECK(dataPathFor({}, "web", "/src/server/web") == fs::path("/src/server/web"));
}

TEST_CASE("package: this test binary, in the build tree, keeps the in-tree defaults") {
    CHECK(dataPath("web", "/src/server/web") == fs::path("/src/server/web"));
}
