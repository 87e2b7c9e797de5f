/** A plain-text table whose cells wrap at word boundaries, so long reasons stay readable in a terminal. */
export interface Column {
    title: string;
    width: number;
}

function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split("\n")) {
        let line = "";
        for (const word of paragraph.split(/\s+/).filter(Boolean)) {
            // A word longer than the column (a URN, a path) is cut rather than pushed past the border.
            for (let w = word; w.length > 0; w = w.slice(width)) {
                const piece = w.slice(0, width);
                if (line === "") line = piece;
                else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
                else {
                    lines.push(line);
                    line = piece;
                }
            }
        }
        lines.push(line);
    }
    return lines;
}

export function renderTable(columns: Column[], rows: string[][]): string {
    const border = `+${columns.map((c) => "-".repeat(c.width + 2)).join("+")}+`;
    const renderRow = (cells: string[]) => {
        const wrapped = columns.map((c, i) => wrap(cells[i] ?? "", c.width));
        const height = Math.max(...wrapped.map((w) => w.length));
        return Array.from({ length: height }, (_, line) => `| ${columns.map((c, i) => (wrapped[i][line] ?? "").padEnd(c.width)).join(" | ")} |`).join("\n");
    };
    return [border, renderRow(columns.map((c) => c.title)), border, ...rows.map(renderRow), border].join("\n");
}
