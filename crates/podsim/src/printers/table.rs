//! Column alignment exactly as kubectl does it: a port of Go's `text/tabwriter` in the
//! `github.com/liggitt/tabwriter` fork kubectl vendors (the fork adds `RememberWidths`, so that the
//! rows `kubectl get -w` flushes one by one never shrink a column).
//!
//! Text is written with `\t` between cells and `\n` after each line. A column is a run of
//! consecutive lines that all have a tab-terminated cell at that index; its width is the widest
//! cell plus the padding, at least `minwidth`. The last cell of a line is not part of any column and
//! is never padded. A line with a single cell ends the block (and flushes), which is why the
//! sections of `kubectl describe` align independently of each other.
//!
//! Two configurations are used: [`TabWriter::kubectl_table`] (`get`: minwidth 6, padding 3,
//! widths remembered across flushes) and [`TabWriter::describe`] (`describe`: minwidth 0,
//! padding 2).

/// One buffered cell: its length in bytes, its width in characters, and whether a tab ended it.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    size: usize,
    width: usize,
    htab: bool,
}

/// The tabwriter. Write text with [`TabWriter::write`], then [`TabWriter::flush`]; the formatted
/// text accumulates in the output, taken with [`TabWriter::take`].
#[derive(Clone, Debug)]
pub(crate) struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember: bool,
    buf: String,
    pos: usize,
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    maxwidths: Vec<usize>,
    out: String,
}

impl TabWriter {
    fn new(minwidth: usize, padding: usize, remember: bool) -> TabWriter {
        TabWriter {
            minwidth,
            padding,
            remember,
            buf: String::new(),
            pos: 0,
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
            maxwidths: Vec::new(),
            out: String::new(),
        }
    }

    /// The writer `kubectl get` uses (cli-runtime `GetNewTabWriter`): minwidth 6, padding 3,
    /// `RememberWidths`.
    pub(crate) fn kubectl_table() -> TabWriter {
        TabWriter::new(6, 3, true)
    }

    /// The writer `kubectl describe` uses (`tabbedString`): minwidth 0, padding 2.
    pub(crate) fn describe() -> TabWriter {
        TabWriter::new(0, 2, false)
    }

    /// Appends text; `\t` ends a cell, `\n` ends a line.
    pub(crate) fn write(&mut self, text: &str) {
        let mut start = 0;
        for (i, ch) in text.char_indices() {
            if matches!(ch, '\t' | '\n' | '\u{b}' | '\u{c}') {
                self.append(&text[start..i]);
                self.update_width();
                start = i + 1;
                let ncells = self.terminate_cell(ch == '\t');
                if ch == '\n' || ch == '\u{c}' {
                    self.lines.push(Vec::new());
                    if ch == '\u{c}' || ncells == 1 {
                        // A line with one cell cannot influence the layout of what follows.
                        self.flush();
                    }
                }
            }
        }
        self.append(&text[start..]);
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
    }

    /// Formats everything buffered into the output.
    pub(crate) fn flush(&mut self) {
        if self.cell.size > 0 {
            self.update_width();
            self.terminate_cell(false);
        }
        let n = self.lines.len();
        self.format(0, 0, n);
        self.reset();
    }

    /// Flushes and takes the output produced so far.
    pub(crate) fn take(&mut self) -> String {
        self.flush();
        std::mem::take(&mut self.out)
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.cell = Cell::default();
        self.lines.clear();
        self.lines.push(Vec::new());
        self.widths.clear();
    }

    fn update_width(&mut self) {
        self.cell.width += self.buf[self.pos..].chars().count();
        self.pos = self.buf.len();
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = self.cell;
        let line = self.lines.last_mut().expect("a line always exists");
        line.push(cell);
        self.cell = Cell::default();
        line.len()
    }

    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: print the lines before this block.
            pos = self.write_lines(pos, line0, this);
            line0 = this;

            let mut width = self.minwidth;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                width = width.max(line[column].width + self.padding);
                this += 1;
            }

            if self.remember {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    let rest: Vec<usize> = self.widths[from..].to_vec();
                    self.maxwidths.extend(rest);
                }
                let idx = self.widths.len();
                if self.maxwidths.len() == idx {
                    self.maxwidths.push(width);
                } else if self.maxwidths[idx] > width {
                    width = self.maxwidths[idx];
                } else {
                    self.maxwidths[idx] = width;
                }
            }

            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(pos, line0, line1)
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            for (j, c) in self.lines[i].iter().enumerate() {
                if c.size > 0 {
                    self.out.push_str(&self.buf[pos..pos + c.size]);
                    pos += c.size;
                }
                if let Some(&w) = self.widths.get(j) {
                    for _ in c.width..w {
                        self.out.push(' ');
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // The line still being built: no newline yet.
                let end = pos + self.cell.size;
                self.out.push_str(&self.buf[pos..end.min(self.buf.len())]);
                pos = end;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }
}

/// Formats a cell the way kubectl's table printer does: a string is cut at its first newline and
/// marked with `...`.
pub(crate) fn cell(text: &str) -> String {
    match text.find('\n') {
        Some(i) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// Writes one table line (cells joined by tabs) into a kubectl table writer.
pub(crate) fn write_row(tw: &mut TabWriter, cells: &[String]) {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    tw.write(&line.join("\t"));
    tw.write("\n");
}

/// Renders a complete `kubectl get` table: the header (if any) and the rows, aligned together.
pub(crate) fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut tw = TabWriter::kubectl_table();
    if !rows.is_empty() {
        tw.write(&header.join("\t"));
        tw.write("\n");
    }
    for row in rows {
        write_row(&mut tw, row);
    }
    tw.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> String {
        let mut tw = TabWriter::kubectl_table();
        tw.write(text);
        tw.take()
    }

    #[test]
    fn pads_to_widest_cell_plus_three() {
        let out = table("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nnginx\t1/1\tRunning\t0\t10s\n");
        assert_eq!(
            out,
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          10s\n"
        );
    }

    #[test]
    fn minimum_width_is_six() {
        assert_eq!(table("A\tB\nx\ty\n"), "A     B\nx     y\n");
    }

    #[test]
    fn last_cell_is_not_padded_and_counts_characters_not_bytes() {
        assert_eq!(table("名字\tX\nab\tY\n"), "名字    X\nab    Y\n");
    }

    #[test]
    fn remembered_widths_never_shrink() {
        let mut tw = TabWriter::kubectl_table();
        tw.write("NAME\tSTATUS\tAGE\nlong-pod-name\tPending\t0s\n");
        let first = tw.take();
        tw.write("a\tRunning\t1s\n");
        let second = tw.take();
        tw.write("a-much-longer-pod-name\tX\t2s\n");
        let third = tw.take();
        tw.write("b\tY\t3s\n");
        let fourth = tw.take();
        assert_eq!(first, "NAME            STATUS    AGE\nlong-pod-name   Pending   0s\n");
        assert_eq!(second, "a               Running   1s\n");
        assert_eq!(third, "a-much-longer-pod-name   X         2s\n");
        assert_eq!(fourth, "b                        Y         3s\n");
    }

    #[test]
    fn single_cell_lines_split_blocks() {
        let mut tw = TabWriter::describe();
        tw.write("Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\n");
        assert_eq!(tw.take(), "Name:       web\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\n");
    }

    #[test]
    fn empty_trailing_value_keeps_padding() {
        let mut tw = TabWriter::describe();
        tw.write("IP:\t\nNode:\tw\n");
        assert_eq!(tw.take(), "IP:    \nNode:  w\n");
    }

    #[test]
    fn newline_in_cell_is_truncated() {
        assert_eq!(cell("a\nb"), "a...");
        assert_eq!(cell("ab"), "ab");
    }
}
