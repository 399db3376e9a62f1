/**
 * Keccak-256 (the Ethereum hash: FIPS 202 Keccak-f[1600], rate 136 bytes, pad 0x01 … 0x80) with
 * the permutation written out round by round on 32-bit halves of the 25 lanes in locals, about
 * 4 × faster than the JavaScript keccak viem uses (131 kB: ≈ 2 ms instead of ≈ 8.5 ms here);
 * an iteration hashes ≈ 200 kB (the signed transaction, 56 vectors, 112 EIP-712 words).
 * Same output as viem's keccak256 (tested over every length 0–700 and random inputs).
 * The round body was generated from FIPS 202 §3.2 (ρ offsets from the (x, y) → (y, 2x + 3y)
 * walk, ι constants from the rc(t) LFSR): θ column parities c, d = c[x−1] ⊕ rot(c[x+1], 1);
 * ρ and π into b[y, 2x + 3y] = rot(a[x, y] ⊕ d[x], r[x, y]); χ a = b ⊕ (¬b[x+1] ∧ b[x+2]); ι.
 * Lane i = x + 5y holds bytes 8i … 8i + 7 little-endian: a{i}l the low 32 bits, a{i}h the high.
 */
const roundConstantHi = new Int32Array([0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000, 0x80000000, 0x80000000, 0x00000000, 0x80000000]);
const roundConstantLo = new Int32Array([0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009, 0x0000008a, 0x00000088, 0x80008009, 0x8000000a, 0x8000808b, 0x0000008b, 0x00008089, 0x00008003, 0x00008002, 0x00000080, 0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008]);
function keccakF1600(s: Int32Array): void {
  let a0h = s[1]!, a0l = s[0]!, a1h = s[3]!, a1l = s[2]!, a2h = s[5]!, a2l = s[4]!, a3h = s[7]!, a3l = s[6]!, a4h = s[9]!, a4l = s[8]!, a5h = s[11]!, a5l = s[10]!, a6h = s[13]!, a6l = s[12]!, a7h = s[15]!, a7l = s[14]!, a8h = s[17]!, a8l = s[16]!, a9h = s[19]!, a9l = s[18]!, a10h = s[21]!, a10l = s[20]!, a11h = s[23]!, a11l = s[22]!, a12h = s[25]!, a12l = s[24]!, a13h = s[27]!, a13l = s[26]!, a14h = s[29]!, a14l = s[28]!, a15h = s[31]!, a15l = s[30]!, a16h = s[33]!, a16l = s[32]!, a17h = s[35]!, a17l = s[34]!, a18h = s[37]!, a18l = s[36]!, a19h = s[39]!, a19l = s[38]!, a20h = s[41]!, a20l = s[40]!, a21h = s[43]!, a21l = s[42]!, a22h = s[45]!, a22l = s[44]!, a23h = s[47]!, a23l = s[46]!, a24h = s[49]!, a24l = s[48]!;
  for (let round = 0; round < 24; round++) {
    {
      const c0h = a0h ^ a5h ^ a10h ^ a15h ^ a20h;
      const c0l = a0l ^ a5l ^ a10l ^ a15l ^ a20l;
      const c1h = a1h ^ a6h ^ a11h ^ a16h ^ a21h;
      const c1l = a1l ^ a6l ^ a11l ^ a16l ^ a21l;
      const c2h = a2h ^ a7h ^ a12h ^ a17h ^ a22h;
      const c2l = a2l ^ a7l ^ a12l ^ a17l ^ a22l;
      const c3h = a3h ^ a8h ^ a13h ^ a18h ^ a23h;
      const c3l = a3l ^ a8l ^ a13l ^ a18l ^ a23l;
      const c4h = a4h ^ a9h ^ a14h ^ a19h ^ a24h;
      const c4l = a4l ^ a9l ^ a14l ^ a19l ^ a24l;
      const d0h = c4h ^ ((c1h << 1) | (c1l >>> 31)); const d0l = c4l ^ ((c1l << 1) | (c1h >>> 31));
      const d1h = c0h ^ ((c2h << 1) | (c2l >>> 31)); const d1l = c0l ^ ((c2l << 1) | (c2h >>> 31));
      const d2h = c1h ^ ((c3h << 1) | (c3l >>> 31)); const d2l = c1l ^ ((c3l << 1) | (c3h >>> 31));
      const d3h = c2h ^ ((c4h << 1) | (c4l >>> 31)); const d3l = c2l ^ ((c4l << 1) | (c4h >>> 31));
      const d4h = c3h ^ ((c0h << 1) | (c0l >>> 31)); const d4l = c3l ^ ((c0l << 1) | (c0h >>> 31));
      const t0h = a0h ^ d0h, t0l = a0l ^ d0l;
      let b0h = t0h; let b0l = t0l;
      const t5h = a5h ^ d0h, t5l = a5l ^ d0l;
      let b16h = (t5l << 4) | (t5h >>> 28); let b16l = (t5h << 4) | (t5l >>> 28);
      const t10h = a10h ^ d0h, t10l = a10l ^ d0l;
      let b7h = (t10h << 3) | (t10l >>> 29); let b7l = (t10l << 3) | (t10h >>> 29);
      const t15h = a15h ^ d0h, t15l = a15l ^ d0l;
      let b23h = (t15l << 9) | (t15h >>> 23); let b23l = (t15h << 9) | (t15l >>> 23);
      const t20h = a20h ^ d0h, t20l = a20l ^ d0l;
      let b14h = (t20h << 18) | (t20l >>> 14); let b14l = (t20l << 18) | (t20h >>> 14);
      const t1h = a1h ^ d1h, t1l = a1l ^ d1l;
      let b10h = (t1h << 1) | (t1l >>> 31); let b10l = (t1l << 1) | (t1h >>> 31);
      const t6h = a6h ^ d1h, t6l = a6l ^ d1l;
      let b1h = (t6l << 12) | (t6h >>> 20); let b1l = (t6h << 12) | (t6l >>> 20);
      const t11h = a11h ^ d1h, t11l = a11l ^ d1l;
      let b17h = (t11h << 10) | (t11l >>> 22); let b17l = (t11l << 10) | (t11h >>> 22);
      const t16h = a16h ^ d1h, t16l = a16l ^ d1l;
      let b8h = (t16l << 13) | (t16h >>> 19); let b8l = (t16h << 13) | (t16l >>> 19);
      const t21h = a21h ^ d1h, t21l = a21l ^ d1l;
      let b24h = (t21h << 2) | (t21l >>> 30); let b24l = (t21l << 2) | (t21h >>> 30);
      const t2h = a2h ^ d2h, t2l = a2l ^ d2l;
      let b20h = (t2l << 30) | (t2h >>> 2); let b20l = (t2h << 30) | (t2l >>> 2);
      const t7h = a7h ^ d2h, t7l = a7l ^ d2l;
      let b11h = (t7h << 6) | (t7l >>> 26); let b11l = (t7l << 6) | (t7h >>> 26);
      const t12h = a12h ^ d2h, t12l = a12l ^ d2l;
      let b2h = (t12l << 11) | (t12h >>> 21); let b2l = (t12h << 11) | (t12l >>> 21);
      const t17h = a17h ^ d2h, t17l = a17l ^ d2l;
      let b18h = (t17h << 15) | (t17l >>> 17); let b18l = (t17l << 15) | (t17h >>> 17);
      const t22h = a22h ^ d2h, t22l = a22l ^ d2l;
      let b9h = (t22l << 29) | (t22h >>> 3); let b9l = (t22h << 29) | (t22l >>> 3);
      const t3h = a3h ^ d3h, t3l = a3l ^ d3l;
      let b5h = (t3h << 28) | (t3l >>> 4); let b5l = (t3l << 28) | (t3h >>> 4);
      const t8h = a8h ^ d3h, t8l = a8l ^ d3l;
      let b21h = (t8l << 23) | (t8h >>> 9); let b21l = (t8h << 23) | (t8l >>> 9);
      const t13h = a13h ^ d3h, t13l = a13l ^ d3l;
      let b12h = (t13h << 25) | (t13l >>> 7); let b12l = (t13l << 25) | (t13h >>> 7);
      const t18h = a18h ^ d3h, t18l = a18l ^ d3l;
      let b3h = (t18h << 21) | (t18l >>> 11); let b3l = (t18l << 21) | (t18h >>> 11);
      const t23h = a23h ^ d3h, t23l = a23l ^ d3l;
      let b19h = (t23l << 24) | (t23h >>> 8); let b19l = (t23h << 24) | (t23l >>> 8);
      const t4h = a4h ^ d4h, t4l = a4l ^ d4l;
      let b15h = (t4h << 27) | (t4l >>> 5); let b15l = (t4l << 27) | (t4h >>> 5);
      const t9h = a9h ^ d4h, t9l = a9l ^ d4l;
      let b6h = (t9h << 20) | (t9l >>> 12); let b6l = (t9l << 20) | (t9h >>> 12);
      const t14h = a14h ^ d4h, t14l = a14l ^ d4l;
      let b22h = (t14l << 7) | (t14h >>> 25); let b22l = (t14h << 7) | (t14l >>> 25);
      const t19h = a19h ^ d4h, t19l = a19l ^ d4l;
      let b13h = (t19h << 8) | (t19l >>> 24); let b13l = (t19l << 8) | (t19h >>> 24);
      const t24h = a24h ^ d4h, t24l = a24l ^ d4l;
      let b4h = (t24h << 14) | (t24l >>> 18); let b4l = (t24l << 14) | (t24h >>> 18);
      a0h = b0h ^ (~b1h & b2h); a0l = b0l ^ (~b1l & b2l);
      a1h = b1h ^ (~b2h & b3h); a1l = b1l ^ (~b2l & b3l);
      a2h = b2h ^ (~b3h & b4h); a2l = b2l ^ (~b3l & b4l);
      a3h = b3h ^ (~b4h & b0h); a3l = b3l ^ (~b4l & b0l);
      a4h = b4h ^ (~b0h & b1h); a4l = b4l ^ (~b0l & b1l);
      a5h = b5h ^ (~b6h & b7h); a5l = b5l ^ (~b6l & b7l);
      a6h = b6h ^ (~b7h & b8h); a6l = b6l ^ (~b7l & b8l);
      a7h = b7h ^ (~b8h & b9h); a7l = b7l ^ (~b8l & b9l);
      a8h = b8h ^ (~b9h & b5h); a8l = b8l ^ (~b9l & b5l);
      a9h = b9h ^ (~b5h & b6h); a9l = b9l ^ (~b5l & b6l);
      a10h = b10h ^ (~b11h & b12h); a10l = b10l ^ (~b11l & b12l);
      a11h = b11h ^ (~b12h & b13h); a11l = b11l ^ (~b12l & b13l);
      a12h = b12h ^ (~b13h & b14h); a12l = b12l ^ (~b13l & b14l);
      a13h = b13h ^ (~b14h & b10h); a13l = b13l ^ (~b14l & b10l);
      a14h = b14h ^ (~b10h & b11h); a14l = b14l ^ (~b10l & b11l);
      a15h = b15h ^ (~b16h & b17h); a15l = b15l ^ (~b16l & b17l);
      a16h = b16h ^ (~b17h & b18h); a16l = b16l ^ (~b17l & b18l);
      a17h = b17h ^ (~b18h & b19h); a17l = b17l ^ (~b18l & b19l);
      a18h = b18h ^ (~b19h & b15h); a18l = b18l ^ (~b19l & b15l);
      a19h = b19h ^ (~b15h & b16h); a19l = b19l ^ (~b15l & b16l);
      a20h = b20h ^ (~b21h & b22h); a20l = b20l ^ (~b21l & b22l);
      a21h = b21h ^ (~b22h & b23h); a21l = b21l ^ (~b22l & b23l);
      a22h = b22h ^ (~b23h & b24h); a22l = b22l ^ (~b23l & b24l);
      a23h = b23h ^ (~b24h & b20h); a23l = b23l ^ (~b24l & b20l);
      a24h = b24h ^ (~b20h & b21h); a24l = b24l ^ (~b20l & b21l);
    }
    a0h ^= roundConstantHi[round]!; a0l ^= roundConstantLo[round]!;
  }
  s[1] = a0h; s[0] = a0l; s[3] = a1h; s[2] = a1l; s[5] = a2h; s[4] = a2l; s[7] = a3h; s[6] = a3l; s[9] = a4h; s[8] = a4l; s[11] = a5h; s[10] = a5l; s[13] = a6h; s[12] = a6l; s[15] = a7h; s[14] = a7l; s[17] = a8h; s[16] = a8l; s[19] = a9h; s[18] = a9l; s[21] = a10h; s[20] = a10l; s[23] = a11h; s[22] = a11l; s[25] = a12h; s[24] = a12l; s[27] = a13h; s[26] = a13l; s[29] = a14h; s[28] = a14l; s[31] = a15h; s[30] = a15l; s[33] = a16h; s[32] = a16l; s[35] = a17h; s[34] = a17l; s[37] = a18h; s[36] = a18l; s[39] = a19h; s[38] = a19l; s[41] = a20h; s[40] = a20l; s[43] = a21h; s[42] = a21l; s[45] = a22h; s[44] = a22l; s[47] = a23h; s[46] = a23l; s[49] = a24h; s[48] = a24l;
}

const rate = 136;

/** Keccak-256 of `data` as 32 bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  const state = new Int32Array(50);
  const whole = data.length - (data.length % rate);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < whole; offset += rate) {
    for (let w = 0; w < rate / 4; w++) state[w]! ^= view.getInt32(offset + 4 * w, true);
    keccakF1600(state);
  }
  const last = new Uint8Array(rate);
  last.set(data.subarray(whole));
  last[data.length - whole]! ^= 0x01;
  last[rate - 1]! ^= 0x80;
  const lastView = new DataView(last.buffer);
  for (let w = 0; w < rate / 4; w++) state[w]! ^= lastView.getInt32(4 * w, true);
  keccakF1600(state);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let w = 0; w < 8; w++) outView.setInt32(4 * w, state[w]!, true);
  return out;
}
