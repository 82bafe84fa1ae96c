#include "ticket_layout.hpp"

#include "qr_code.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace loket::ticket {

const std::vector<std::string>& ticketTextKeys() {
    static const std::vector<std::string> kKeys = {
        "ticket.title",       "ticket.appointment", "ticket.wait_range",   "ticket.wait_about",
        "ticket.wait_one",    "ticket.wait_none",   "ticket.wait_unknown", "ticket.watch_screen",
        "ticket.bring",       "ticket.qr_hint",     "ticket.issued_at",    "ticket.privacy",
        "ticket.wait_offline", "ticket.no_number",
    };
    return kKeys;
}

namespace {

// Text sizes in dots for an 80 mm, 203 dpi printer (576 dots); the profile scales them.
constexpr int kHallPx = 26;
constexpr int kTitlePx = 30;
constexpr int kNumberMaxPx = 160;
constexpr int kServicePx = 32;
constexpr int kBodyPx = 26;
constexpr int kSmallPx = 22;
constexpr int kPrivacyPx = 20;

std::u32string toU32(const std::vector<char32_t>& cps) { return std::u32string(cps.begin(), cps.end()); }

// A bitmap that grows downwards as blocks are added, with a pen at `y`.
class Canvas {
public:
    explicit Canvas(const PrinterProfile& profile)
        : m_bitmap(profile.printWidthDots, 1024), m_left(profile.marginDots),
          m_width(profile.printWidthDots - 2 * profile.marginDots), m_scale(profile.textScale) {}

    int px(int base) const { return std::max(8, static_cast<int>(std::lround(base * m_scale))); }
    int width() const { return m_width; }
    void space(int dots) { m_y += static_cast<int>(std::lround(dots * m_scale)); }

    // Greedy word wrap to the content width; a word wider than a line is cut between letters.
    std::vector<std::u32string> wrap(const Font& font, int pixelHeight, const std::u32string& text) const {
        std::vector<std::u32string> lines;
        std::u32string line;
        std::size_t i = 0;
        while (i < text.size()) {
            std::size_t end = text.find(U' ', i);
            if (end == std::u32string::npos) end = text.size();
            std::u32string word = text.substr(i, end - i);
            i = end + 1;
            std::u32string candidate = line.empty() ? word : line + U' ' + word;
            if (measureText(font, pixelHeight, candidate) <= m_width) {
                line = std::move(candidate);
                continue;
            }
            if (!line.empty()) lines.push_back(std::move(line));
            line.clear();
            for (char32_t cp : word) {
                if (!line.empty() && measureText(font, pixelHeight, line + cp) > m_width) {
                    lines.push_back(std::move(line));
                    line.clear();
                }
                line += cp;
            }
        }
        if (!line.empty()) lines.push_back(std::move(line));
        return lines;
    }

    void paragraph(const Font& font, int pixelHeight, const std::u32string& text) {
        const LineMetrics m = lineMetrics(font, pixelHeight);
        for (const auto& line : wrap(font, pixelHeight, text)) {
            ensure(m_y + m.lineHeight);
            const int x = m_left + (m_width - measureText(font, pixelHeight, line)) / 2;
            drawText(m_bitmap, font, pixelHeight, x, m_y + m.ascent, line);
            m_y += m.lineHeight;
        }
    }

    void rule() {
        space(10);
        ensure(m_y + 2);
        m_bitmap.fillRect(m_left, m_y, m_width, 2);
        m_y += 2;
        space(12);
    }

    void qr(const QrMatrix& code, int moduleDots) {
        const int side = qrSideDots(code, moduleDots);
        ensure(m_y + side);
        drawQr(m_bitmap, code, m_left + (m_width - side) / 2, m_y, moduleDots);
        m_y += side;
    }

    Bitmap finish() {
        m_bitmap.resizeHeight(m_y);
        return std::move(m_bitmap);
    }

private:
    void ensure(int height) {
        if (height > m_bitmap.height()) m_bitmap.resizeHeight(std::max(height, 2 * m_bitmap.height()));
    }

    Bitmap m_bitmap;
    int m_left;
    int m_width;
    double m_scale;
    int m_y = 0;
};

// The largest size (up to `maxPx`) at which `text` fits on one line.
int fitOnOneLine(const Font& font, int maxPx, int width, const std::u32string& text) {
    int size = maxPx;
    while (size > 12 && measureText(font, size, text) > width) size -= 4;
    return size;
}

// Validated, decoded text fields.
struct Texts {
    std::u32string hall, number, service, issued, bring, appointment;
};

Result<std::u32string> field(const std::string& value, const char* name, std::size_t maxBytes, bool required) {
    if (required && value.empty()) return makeError(ErrorCode::MissingField, std::string("ticket ") + name + " is empty");
    if (value.size() > maxBytes)
        return makeError(ErrorCode::InvalidValue, std::string("ticket ") + name + " is longer than " +
                                                      std::to_string(maxBytes) + " bytes");
    auto cps = decodeUtf8(value);
    if (!cps) return makeError(ErrorCode::InvalidValue, std::string("ticket ") + name + ": " + cps.error().message);
    for (char32_t cp : *cps)
        if (cp < 0x20 || cp == 0x7F)
            return makeError(ErrorCode::InvalidValue, std::string("ticket ") + name + " contains a control character");
    return toU32(*cps);
}

Result<Texts> checkContent(const TicketContent& c, const i18n::Catalog& catalog) {
    if (c.language != catalog.language())
        return makeError(ErrorCode::InvalidValue, "ticket language \"" + c.language +
                                                      "\" does not match the catalog's \"" + catalog.language() + "\"");
    for (const auto& key : ticketTextKeys())
        if (!catalog.has(key))
            return makeError(ErrorCode::NotFound, "translation \"" + key + "\" is missing for language \"" +
                                                      catalog.language() + "\"");
    if (c.waitLowMin.has_value() != c.waitHighMin.has_value())
        return makeError(ErrorCode::InvalidValue, "ticket wait needs both a low and a high estimate, or neither");
    if (c.waitLowMin && (*c.waitLowMin < 0 || *c.waitLowMin > *c.waitHighMin || *c.waitHighMin > 24 * 60))
        return makeError(ErrorCode::InvalidValue, "ticket wait range " + std::to_string(*c.waitLowMin) + "–" +
                                                      std::to_string(*c.waitHighMin) +
                                                      " minutes is not 0 ≤ low ≤ high ≤ 1440");
    if (c.noNumber) {
        // The last-resort ticket (an offline kiosk out of numbers): no number, no visitor code.
        if (!c.number.empty() || !c.visitorUrl.empty())
            return makeError(ErrorCode::InvalidValue, "a ticket without a number has no number and no visitor url");
    } else if (c.visitorUrl.empty()) return makeError(ErrorCode::MissingField, "ticket visitor url is empty");
    if (c.visitorUrl.size() > 300) return makeError(ErrorCode::InvalidValue, "ticket visitor url is longer than 300 bytes");
    if (c.visitorUrl.find_first_of(" \t\r\n") != std::string::npos)
        return makeError(ErrorCode::InvalidValue, "ticket visitor url contains white space");
    Texts t;
    const std::string appointment = c.appointmentTimeLocal.value_or("");
    const struct {
        const std::string& value;
        const char* name;
        std::size_t maxBytes;
        bool required;
        std::u32string& out;
    } fields[] = {
        {c.hallName, "hall name", 120, false, t.hall},
        {c.number, "number", 12, !c.noNumber, t.number},
        {c.serviceLabel, "service label", 200, true, t.service},
        {c.issuedAtLocal, "issue time", 40, true, t.issued},
        {c.bring, "bring", 400, false, t.bring},
        {appointment, "appointment time", 40, c.appointmentTimeLocal.has_value(), t.appointment},
    };
    for (const auto& f : fields) {
        auto decoded = field(f.value, f.name, f.maxBytes, f.required);
        if (!decoded) return decoded.error();
        f.out = std::move(*decoded);
    }
    return t;
}

std::string waitLine(const TicketContent& c, const i18n::Catalog& catalog) {
    if (c.waitUnavailable) return catalog.text("ticket.wait_offline");
    if (!c.waitHighMin) return catalog.text("ticket.wait_unknown");
    if (*c.waitHighMin == 0) return catalog.text("ticket.wait_none");
    if (*c.waitLowMin == *c.waitHighMin)
        return *c.waitHighMin == 1 ? catalog.text("ticket.wait_one")
                                   : catalog.text("ticket.wait_about", {{"min", std::to_string(*c.waitHighMin)}});
    return catalog.text("ticket.wait_range",
                        {{"low", std::to_string(*c.waitLowMin)}, {"high", std::to_string(*c.waitHighMin)}});
}

// Catalog texts are ours (checked by tests), so decoding them cannot fail in practice; a broken
// translation file still only prints its valid prefix rather than crashing.
std::u32string u32(const std::string& utf8) {
    auto cps = decodeUtf8(utf8);
    return cps ? toU32(*cps) : std::u32string(U"?");
}

} // namespace

Result<Bitmap> renderTicket(const TicketContent& content, const i18n::Catalog& catalog,
                            const PrinterProfile& profile, const Fonts& fonts) {
    if (fonts.regular.faces.empty() || fonts.bold.faces.empty())
        return makeError(ErrorCode::InvalidValue, "no fonts loaded (call loadFonts first)");
    auto texts = checkContent(content, catalog);
    if (!texts) return texts.error();
    std::optional<QrMatrix> code;
    if (!content.noNumber) {
        auto encoded = encodeQr(content.visitorUrl);
        if (!encoded) return encoded.error();
        code = std::move(*encoded);
    }

    Canvas canvas(profile);
    canvas.space(8);
    if (!texts->hall.empty()) {
        canvas.paragraph(fonts.regular, canvas.px(kHallPx), texts->hall);
        canvas.rule();
    }
    canvas.paragraph(fonts.regular, canvas.px(kTitlePx), u32(catalog.text("ticket.title")));
    if (content.noNumber)
        canvas.paragraph(fonts.bold, canvas.px(kServicePx), u32(catalog.text("ticket.no_number")));
    else
        canvas.paragraph(fonts.bold, fitOnOneLine(fonts.bold, canvas.px(kNumberMaxPx), canvas.width(), texts->number),
                         texts->number);
    canvas.space(4);
    canvas.paragraph(fonts.bold, canvas.px(kServicePx), texts->service);
    if (content.appointmentTimeLocal)
        canvas.paragraph(fonts.bold, canvas.px(kServicePx),
                         u32(catalog.text("ticket.appointment", {{"time", content.appointmentTimeLocal.value()}})));
    canvas.space(12);
    canvas.paragraph(fonts.regular, canvas.px(kBodyPx), u32(waitLine(content, catalog)));
    canvas.space(6);
    canvas.paragraph(fonts.regular, canvas.px(kBodyPx), u32(catalog.text("ticket.watch_screen")));
    if (!texts->bring.empty()) {
        canvas.rule();
        canvas.paragraph(fonts.bold, canvas.px(kBodyPx), u32(catalog.text("ticket.bring")));
        canvas.paragraph(fonts.regular, canvas.px(kBodyPx), texts->bring);
    }
    if (code) {
        canvas.rule();
        // The largest module size up to the profile's that keeps the code inside the margins.
        int module = profile.qrModuleDots;
        while (module > 3 && qrSideDots(*code, module) > canvas.width()) --module;
        if (qrSideDots(*code, module) > canvas.width())
            return makeError(ErrorCode::InvalidValue, "the visitor url makes a QR code too wide for this paper");
        canvas.qr(*code, module);
        canvas.space(4);
        canvas.paragraph(fonts.regular, canvas.px(kSmallPx), u32(catalog.text("ticket.qr_hint")));
    }
    canvas.rule();
    canvas.paragraph(fonts.regular, canvas.px(kSmallPx),
                     u32(catalog.text("ticket.issued_at", {{"time", content.issuedAtLocal}})));
    canvas.space(6);
    canvas.paragraph(fonts.regular, canvas.px(kPrivacyPx), u32(catalog.text("ticket.privacy")));
    canvas.space(16);
    return canvas.finish();
}

} // namespace loket::ticket
