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

// `norm` is the planning policy (dispatch_planner.hpp); `norm_v1` the earlier reactive one, kept
// for comparison.
enum class PolicyKind { Fifo, AppointmentsFirst, Edf, Norm, NormV1 };
const char* policyName(PolicyKind kind);
std::optional<PolicyKind> parsePolicy(const std::string& name);

// Knobs of the `norm` policies; the simulator varies them to draw its trade-off curves. The hall
// config's [norm_policy] table sets them; the defaults are what the example halls ship.
struct NormPolicyParams {
    // An appointment counts as active this long before its time (as appointments_first does).
    Seconds activeBeforeS = 120;
    // A walk-in this far past its own target goes before everyone else: no one waits forever.
    // 10 min: the simulator showed norm_v1's appointments barely gain from a longer limit while
    // walk-ins lose a lot (was 20 min; docs/benchmarks.md, "Earlier: the reactive norm").
    // In the planning `norm` this is the floor of the walk-in bound (walkInLoadPercent).
    Seconds walkInStarvationS = 600;
    // Safety margin when judging whether a walk-in can be served before due appointments.
    Seconds slackMarginS = 60;
    // Look ahead this far in the appointment book for visitors due soon who need a scarce skill.
    Seconds lookAheadS = 900;
    // An appointment visitor this far past the norm goes before everyone else too: once the norm
    // is lost, a booked visitor must not be pushed back behind every new one who can still be
    // helped in time (the simulator's passport_rush_june showed hour-long tails without it).
    Seconds lateAppointmentS = 3600;

    // The planning `norm` (dispatch_planner.hpp):
    // Booked visitors due this far ahead enter the plan, weighted by today's show rate. 15 min:
    // the simulator found 30 and 60 min no better (a plan far ahead is mostly noise).
    Seconds planHorizonS = 900;
    // The hard cap: a visitor who has waited this long (an hour past the norm) goes before
    // everyone, whatever the plan; the visitors only this counter can serve first.
    Seconds hardCapS = 3900;
    // The walk-in bound follows the day's load: a walk-in (or an appointment visitor whose norm is
    // lost) goes first once their wait passes this share, in percent, of the hall's backlog per
    // open counter — about what the visitor would wait in one plain queue — and never before
    // their target plus walkInStarvationS. The main knob: higher keeps more appointments within
    // the norm, lower shortens the walk-ins' tail.
    // 60 %: see docs/benchmarks.md, "the frontier".
    int walkInLoadPercent = 60;
    // Past the bound a walk-in still waits for the plan's leave (a counter whose appointment
    // visitors have slack) — but no longer than this. 10 min: with 30 min, passport_rush_june's
    // walk-ins (who leave after about an hour) waited past fifo's p95.
    Seconds walkInGraceS = 600;
    // The grace grows with the day's load too: at least this share, in percent, of the backlog per
    // open counter. A fixed 10 minutes is much on a quiet day and little in a surge, where a
    // walk-in forced in before the plan allows it makes an appointment visitor late. 0: fixed grace.
    // 50 %: walk_in_surge 89.4 % on time (was 87.9 %) at a walk-in p95 under fifo's × 1.1, and
    // passport_rush_june's walk-ins still under theirs (docs/benchmarks.md).
    int walkInGracePercent = 50;
    // Triage under overload: at most this many appointment visitors of one plan are given up
    // explicitly (the longest visits first) so that the others keep the norm. Off (0) by default:
    // in the simulator it cost 4-6 points on the surge and scarce-skill days (the visitors given
    // up freed the plan for walk-ins, and more appointments were late, not fewer).
    int triageLimit = 0;
    // The plan's durations are estimates and their errors add up along a counter's plan: a
    // walk-in goes first only when every appointment visitor in the plan still starts the slack
    // margin plus this share, in percent, of the spread of the work planned before them at that
    // counter (the square root of the sum of the squared expected durations, about one standard
    // deviation at the visits' usual spread) before the norm. 0: plan on the expected durations alone.
    // Off by default: 30-100 % gains the surge 0.5-2 points but pushes passport_rush_june's walk-in
    // p95 over fifo's × 1.1 (docs/benchmarks.md).
    int planRiskPercent = 0;
    // The due-time margin for a walk-in's own overrun: a walk-in goes first only when every
    // appointment visitor in the plan whom this counter could serve still starts slackMarginS plus
    // this share, in percent, of the walk-in's expected duration divided by the open counters
    // before the norm. A visit runs long
    // by about a third of its length at the scenarios' spread, and the delay is shared by all the
    // counters that can take the next visitor, so it is small in a large hall and counts in a
    // small one. 160 %: walk_in_surge reaches appointments_first − 1 point with its walk-ins under
    // fifo's p95 × 1.1 on every scenario (0: the slack margin alone; docs/benchmarks.md).
    int walkInRiskPercent = 160;
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
    // Removed on the admin page (configuration.hpp): no longer offered, but kept in place so the
    // indices of today's tickets and counter skills stay valid; visitors already waiting are served.
    bool retired = false;

    bool operator==(const ServiceConfig&) const = default;
};

struct CounterConfig {
    std::string id;                  // "b3"
    std::string name;                // what follows "Balie": "3"
    ServiceMask skills = 0;          // services this counter may serve
    std::string location = {};       // where it is in the hall, for the display's arrow: "left", "right", …
    bool sittingDesk = false;        // has a desk at sitting height (wheelchair users)
    bool retired = false;            // removed on the admin page; kept in place like a retired service

    bool operator==(const CounterConfig&) const = default;
};

using OpenPeriods = std::vector<std::pair<std::int32_t, std::int32_t>>;

// Opening hours per weekday (0 = Monday) as [open, close) seconds of the local day. A dated
// exception (a closed day, a short day, an evening opening) replaces the weekday's periods on
// that day; an empty list there means closed all day.
struct OpeningHours {
    bool alwaysOpen = false;
    std::array<OpenPeriods, 7> periods;
    std::map<LocalDay, OpenPeriods> exceptions;
    bool isOpen(Now now) const;
    // The periods in force on a day: its exception, else its weekday's.
    const OpenPeriods& periodsOn(LocalDay day) const;
    // Today's first opening and last closing (for "open from 08:30 to 17:00"); nullopt when closed all day.
    std::optional<std::pair<std::int32_t, std::int32_t>> dayRange(int weekday) const;
    std::optional<std::pair<std::int32_t, std::int32_t>> dayRangeOn(LocalDay day) const;
};

// What a dated exception is, for people (the page, the export); the periods decide.
enum class DayExceptionKind { Closed, Short, Evening };
const char* dayExceptionKindName(DayExceptionKind kind);
std::optional<DayExceptionKind> parseDayExceptionKind(const std::string& name);
struct DayException {
    DayExceptionKind kind = DayExceptionKind::Closed;
    OpenPeriods periods;  // empty when closed; else the whole day's periods
    LocalText note;       // "Kerstmis", shown to staff

    bool operator==(const DayException&) const = default;
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
    // Changed on the admin page (configuration.hpp) as well as in the file:
    std::map<LocalDay, DayException> dayExceptions; // also folded into hours and walkInHours
    LocalText banner;                 // a line for kiosk and display ("Vandaag zijn wij om 12:00 gesloten")

    // Any service or counter with this id, retired ones too (the event log names them).
    std::optional<ServiceIndex> serviceIndex(const std::string& id) const;
    std::optional<CounterIndex> counterIndex(const std::string& id) const;
    // Only one that is still offered / in use.
    std::optional<ServiceIndex> offeredServiceIndex(const std::string& id) const;
    std::optional<CounterIndex> activeCounterIndex(const std::string& id) const;
    ServiceMask allServices() const;
};

inline ServiceMask bit(ServiceIndex i) { return ServiceMask{1} << i; }

} // namespace loket::core
