/**
 * The known defects that make a path fail today, each with its issue. A path a defect makes fail runs as
 * `test.failing` (see `prove.ts`): when the fix lands, the test turns red; then delete the defect's mark
 * from the path (or the entry here) so that the path runs as a plain test.
 */


// No known defect is open today: every path runs as a plain test.
export {};
