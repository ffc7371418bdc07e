// What a peer process (bench/peers.py, bench/tfjs/peer.mjs) prints: one JSON object a line, a result or a
// skip. Turned here into the results the bench's table merges and the notes it prints under it.

export interface PeerResult { peer: string; workload?: string; seconds?: number[]; loss?: number; accuracy?: number | null; skipped?: string }

/**
 * Results and notes from a peer's stdout: lines that are not JSON objects (a library's banner) are ignored, a
 * skip becomes a note, and so does a result with fewer than `reps` repetitions (`why` says why it stopped).
 */
export function parsePeerOutput(out: string, reps: number, why = 'the peer stopped early'): { results: PeerResult[]; notes: string[] } {
  const results: PeerResult[] = [];
  const notes: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const r = JSON.parse(line) as PeerResult;
    const who = `${r.peer}${r.workload ? ` on ${r.workload}` : ''}`;
    if (r.skipped) notes.push(`${who} skipped: ${r.skipped}`);
    else if (r.seconds?.length) {
      results.push(r);
      if (r.seconds.length < reps) notes.push(`${who}: ${r.seconds.length} of ${reps} repetitions (${why})`);
    }
  }
  return { results, notes };
}
