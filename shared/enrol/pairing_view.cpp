#include "pairing_view.hpp"

namespace loket::enrol {

namespace {

std::string noticeKey(PairingNotice notice) { return std::string("device.pairing.") + noticeName(notice); }

} // namespace

std::string groupedCode(const std::string& code) { return code.size() == 6 ? code.substr(0, 3) + " " + code.substr(3) : code; }

std::vector<std::string> pairingTextKeys() {
    std::vector<std::string> keys{"device.pairing.title", "device.pairing.code_label", "device.pairing.instruction",
                                  "device.pairing.valid", "device.pairing.requesting", "device.pairing.staff_only"};
    for (auto n : {PairingNotice::Unreachable, PairingNotice::CodeExpired, PairingNotice::Revoked, PairingNotice::CredentialExpired,
                   PairingNotice::TooManyWaiting, PairingNotice::TlsRejected})
        keys.push_back(noticeKey(n));
    return keys;
}

PairingVm pairingView(const PairingStatus& status, const i18n::Catalog& first, const i18n::Catalog* second) {
    auto both = [&](const std::string& key) { return TwoTexts{first.text(key), second ? second->text(key) : std::string()}; };
    PairingVm vm;
    const bool showsCode = status.phase == PairingPhase::ShowingCode && !status.code.empty();
    vm.screenId = showsCode ? "pairing.code" : "pairing.wait";
    vm.title = both("device.pairing.title");
    vm.codeLabel = both("device.pairing.code_label");
    if (showsCode) {
        vm.code = groupedCode(status.code);
        vm.lines = {both("device.pairing.instruction"), both("device.pairing.valid")};
    } else {
        vm.lines = {both("device.pairing.requesting")};
    }
    // A notice that the code on screen already answers is still worth saying once (a new code
    // after an expired one, a revoked device); NotSaved belongs to a paired device, not here.
    if (status.notice != PairingNotice::None && status.notice != PairingNotice::NotSaved) {
        vm.notice = both(noticeKey(status.notice));
        vm.screenId += std::string(".") + noticeName(status.notice);
    }
    vm.staffOnly = both("device.pairing.staff_only");
    return vm;
}

} // namespace loket::enrol
