// HallConfig: what a hall is — its services, counters, opening hours and the norm — as the
// core needs it. Loaded by the server from firmware-config/*.toml (server/config_loader) and built
// by the simulator from a trace; the core never reads files. Standard library only.
#pragma once

#include "hall_time.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace loket::core {

// Index of a service or counter in HallConfig; the order of the config file.
using ServiceIndex = std::uint8_t;
using CounterIndex = std::uint16_t;
// A set of services as bits; a hall has at most 64 services.
using ServiceMask = std::uint64_t;
constexpr std::size_t kMaxServices = 64;

// Texts by language code ("nl", "en", …). Dutch is always present.
using LocalText = std::map<std::string, std::string>;

// Which language's text is shown: the one asked for, else Dutch, else English, else any
// non-empty one; empty when the text has none. Every screen, ticket and voice picks through this.
const std::string& textIn(const LocalText& text, const std::string& language);

enum class PolicyKind { Fifo, AppointmentsFirst, Edf, Norm };
const char* policyName(PolicyKind kind);
std::optional<PolicyKind> parsePolicy(const std::string& name);

// Knobs of the `norm` policy; the simulator varies them to draw its trade-off curve.
struct NormPolicyParams {
    // An appointment counts as active this long before its time (as appointments_first does).
    Seconds activeBeforeS = 120;
    // A walk-in this far past its own target goes before everyone else: no one waits forever.
    // 10 min: the simulator's trade-off curve (docs/sim/tradeoff_passport_rush_june.svg) shows
    // appointments barely gain from a longer limit while walk-ins lose a lot (was 20 min).
    Seconds walkInStarvationS = 600;
    // Safety margin when judging whether a walk-in can be served before due appointments.
    Seconds slackMarginS = 60;
    // Look ahead this far in the appointment book for visitors due soon who need a scarce skill.
    Seconds lookAheadS = 900;
    // An appointment visitor this far past the norm goes before everyone else too: once the norm
    // is lost, a booked visitor must not be pushed back behind every new one who can still be
    // helped in time (the simulator's passport_rush_june showed hour-long tails without it).
    Seconds lateAppointmentS = 3600;
};

struct ServiceConfig {
    std::string id;                  // slug: "paspoort"
    LocalText name;                  // "Paspoort of ID-kaart aanvragen"
    LocalText description;           // one B1 line for the kiosk tile
    LocalText bring;                 // "uw oude paspoort, één pasfoto"
    std::optional<LocalText> publicLabel; // neutral label for screens and tickets ("Balie B")
    char prefix = 'A';
    bool walkIn = true;
    bool appointment = true;
    bool online = false;             // can also be done online
    Seconds expectedDurationS = 600;
    Seconds walkInTargetS = 600;
};

struct CounterConfig {
    std::string id;                  // "b3"
    std::string name;                // what follows "Balie": "3"
    ServiceMask skills = 0;          // services this counter may serve
};

// Opening hours per weekday (0 = Monday) as [open, close) seconds of the local day.
struct OpeningHours {
    bool alwaysOpen = false;
    std::array<std::vector<std::pair<std::int32_t, std::int32_t>>, 7> periods;
    bool isOpen(Now now) const;
    // Today's first opening and last closing (for "open from 08:30 to 17:00"); nullopt when closed all day.
    std::optional<std::pair<std::int32_t, std::int32_t>> dayRange(int weekday) const;
};

struct HallConfig {
    std::string name = "Gemeente";    // "Gemeente Rijnwaarde"
    std::vector<ServiceConfig> services;
    std::vector<CounterConfig> counters;
    OpeningHours hours;               // when the hall takes check-ins
    OpeningHours walkInHours;         // when walk-ins are taken (defaults to `hours`)
    Seconds normS = 300;              // an appointment visitor waits at most this long
    Seconds earlyCheckInS = 1800;     // how early before the appointment one may check in
    Seconds noAnswerCooldownS = 300;  // a visitor who did not come to a call is not called again before
    PolicyKind policy = PolicyKind::Norm;
    NormPolicyParams normParams;

    std::optional<ServiceIndex> serviceIndex(const std::string& id) const;
    std::optional<CounterIndex> counterIndex(const std::string& id) const;
    ServiceMask allServices() const;
};

inline ServiceMask bit(ServiceIndex i) { return ServiceMask{1} << i; }

} // namespace loket::core
