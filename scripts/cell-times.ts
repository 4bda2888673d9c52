/**
 * How long the cells of an executed notebook ran, from the timestamps the Jupyter client
 * writes into each code cell's metadata.
 */

/** An executed notebook, as far as its cell times go. */
export interface ExecutedNotebook {
  cells: { cell_type: string; metadata: Record<string, any> }[];
}

/** Seconds of cell time of one notebook. */
export interface CellTimes {
  /** Sum over the code cells. */
  seconds: number;
  /** The slowest code cell's seconds, and its 0-based index among the code cells. */
  slowestCell: number;
  slowestIndex: number;
}

/**
 * The execution time of an executed notebook, from the timestamps the Jupyter client records
 * in each code cell's `metadata.execution` (`iopub.status.busy` to `iopub.status.idle`).
 *
 * @returns the sum over code cells, and the slowest cell with its 0-based index among the code cells.
 * @throws Error naming the notebook when a code cell carries no timestamps (not executed).
 */
export function executionSeconds(nb: ExecutedNotebook, name: string): CellTimes {
  const cells = nb.cells.filter((c) => c.cell_type === "code").map((c, i) => {
    const t = c.metadata.execution ?? {};
    const busy = Date.parse(t["iopub.status.busy"]);
    const idle = Date.parse(t["iopub.status.idle"]);
    if (!Number.isFinite(busy) || !Number.isFinite(idle)) {
      throw new Error(`code cell ${i + 1} of ${name}.ipynb has no execution timestamps: the notebook has not been run (npm run notebooks runs it).`);
    }
    return (idle - busy) / 1000;
  });
  const slowestCell = Math.max(0, ...cells);
  return { seconds: cells.reduce((a, b) => a + b, 0), slowestCell, slowestIndex: cells.indexOf(slowestCell) };
}
