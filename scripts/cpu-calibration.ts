/** How much CPU a benchmark run had: a fixed 5e7-step integer loop (about 50-70 ms on an idle ~3 GHz core). */
export function cpuCalibration(): number {
  const t0 = performance.now();
  let z = 0;
  for (let i = 0; i < 5e7; i++) z = (z + Math.imul(i, 2654435761)) | 0;
  if (z === 42) console.log(""); // keeps the loop from being optimised away
  return performance.now() - t0;
}
