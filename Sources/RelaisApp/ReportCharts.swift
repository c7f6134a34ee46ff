import RelaisStore

/// The report's charts, drawn on the server as SVG by the `graphique` template: the geometry is
/// computed here, the text escaped by the template. A hidden figure ("< 5") is a flat stub with
/// its label, never a bar of a guessed height.
enum ReportCharts {
    static let width = 320.0
    private static let top = 22.0
    private static let baseline = 140.0

    /// One bar per group, left to right (months in order, teams, places), each named under its
    /// bar by its short name (`juil.`), every few bars when there are many.
    static func columns(title: String, _ cells: [(label: String, short: String, cell: PublishedReport.Cell)]) -> [String: Any] {
        let highest = max(cells.compactMap(\.cell.number).max() ?? 0, 1)
        let slot = (width - 20) / Double(max(cells.count, 1))
        let thin = cells.count > 8
        let bars = cells.enumerated().map { index, item -> [String: Any] in
            let height = item.cell.number.map { $0 / highest * (baseline - top) } ?? 1.5
            let x = 10 + Double(index) * slot
            var bar: [String: Any] = [
                "x": x + slot * 0.15, "y": baseline - height, "l": slot * 0.7, "h": max(height, 0.5),
                "vx": x + slot / 2, "vy": baseline - height - 4, "valeur": ReportLabels.figure(item.cell), "ex": x + slot / 2,
                "ey": baseline + 14,
            ]
            if index % max(1, (cells.count + 11) / 12) == 0 { bar["etiquette"] = String(item.short.prefix(thin ? 5 : 14)) }
            if item.cell == .hidden { bar["cache"] = true }
            return bar
        }
        let summary = cells.map { "\($0.label) : \(ReportLabels.figure($0.cell))" }.joined(separator: ", ")
        return [
            "titre": title, "resume": "\(title). \(summary)", "hauteur": baseline + 24, "base": baseline, "barres": bars,
            "petit": thin,
        ]
    }

    /// One horizontal bar per kind, the largest first.
    static func rows(title: String, _ cells: [(label: String, cell: PublishedReport.Cell)]) -> [String: Any] {
        let sorted = cells.sorted { ($0.cell.number ?? 0.5, $1.label) > ($1.cell.number ?? 0.5, $0.label) }
        let highest = max(sorted.compactMap(\.cell.number).max() ?? 0, 1)
        let (labelWidth, barWidth, rowHeight) = (152.0, 120.0, 20.0)
        let bars = sorted.enumerated().map { index, item -> [String: Any] in
            let length = item.cell.number.map { $0 / highest * barWidth } ?? 1.5
            let y = top + Double(index) * rowHeight
            var bar: [String: Any] = [
                "x": labelWidth + 5, "y": y, "l": max(length, 0.5), "h": rowHeight * 0.7, "vx": labelWidth + 9 + length,
                "vy": y + rowHeight * 0.55, "valeur": ReportLabels.figure(item.cell), "ex": labelWidth,
                "ey": y + rowHeight * 0.55,
                "etiquette": item.label.count > 26 ? String(item.label.prefix(25)) + "…" : item.label,
            ]
            if item.cell == .hidden { bar["cache"] = true }
            return bar
        }
        let summary = sorted.map { "\($0.label) : \(ReportLabels.figure($0.cell))" }.joined(separator: ", ")
        return [
            "titre": title, "resume": "\(title). \(summary)", "hauteur": top + Double(sorted.count) * rowHeight + 6,
            "barres": bars, "lignes": true,
        ]
    }
}
