// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AdmmCodec
/// @notice The fixed-point coordinator step of docs/admm-protocol.md for one period chunk, the
///         zig-zag int64 codec, the coupling layout derived from the parent array, and the
///         code-stored layout blob. Internal functions only: inlined into AdmmCoordinator.
library AdmmCodec {
    int256 internal constant S = 1e9;

    error AdmmCoordinatorValueOutOfRange(uint256 index, int256 value);

    /// @dev The coupling layout of one chunk (docs/admm-protocol.md §Coupling layout).
    struct Layout {
        uint256 n;
        uint256 tc;
        uint256[] parent;
        uint256[] childStart;
        uint256[] childList;
        uint256[] childPos;
        /// first value of each bus's local vector in the chunk payload
        uint256[] busOffset;
        uint256 localTotal;
        uint256 entryPeriods;
        uint256 dualTotal;
    }

    struct StepParams {
        int256 alpha;
        int256 rho;
    }

    /// @dev Squared sums (scale S^2): r^2, s^2, ||x||^2, ||Bz||^2, ||xi||^2.
    struct Sums {
        uint256 r2;
        uint256 s2;
        uint256 x2;
        uint256 bz2;
        uint256 xi2;
    }

    // ----- layout blob stored as contract code (cheaper to read than storage) -----

    /// @dev Deploys `data` as the code of a data-only contract (a leading STOP byte keeps it
    ///      from being callable). Init code: PUSH2 len, DUP1, PUSH1 10, RETURNDATASIZE, CODECOPY,
    ///      RETURNDATASIZE, RETURN.
    function writeBlob(bytes memory data) internal returns (address pointer) {
        bytes memory runtime = bytes.concat(hex"00", data);
        bytes memory init = bytes.concat(hex"61", bytes2(uint16(runtime.length)), hex"80600a3d393df3", runtime);
        assembly ("memory-safe") {
            pointer := create(0, add(init, 0x20), mload(init))
        }
        require(pointer != address(0));
    }

    function blobData(bytes memory code) internal pure returns (bytes memory out) {
        out = new bytes(code.length - 1);
        for (uint256 i = 0; i < out.length; i++) out[i] = code[i + 1];
    }

    function accountOf(bytes memory blob, uint256 n, uint256 b) internal pure returns (address a) {
        uint256 off = 1 + 2 * n + 20 * b;
        assembly ("memory-safe") {
            a := shr(96, mload(add(add(blob, 0x20), off)))
        }
    }

    /// @dev Children in increasing index order, each bus's local vector length and offset.
    function decodeLayout(bytes memory blob, uint256 n, uint256 tc) internal pure returns (Layout memory lay) {
        lay.n = n;
        lay.tc = tc;
        lay.parent = new uint256[](n);
        lay.childStart = new uint256[](n + 1);
        lay.childList = new uint256[](n);
        lay.childPos = new uint256[](n);
        lay.busOffset = new uint256[](n);
        uint256[] memory count = new uint256[](n);
        for (uint256 k = 1; k < n; k++) {
            uint256 p = (uint256(uint8(blob[1 + 2 * k])) << 8) | uint8(blob[2 + 2 * k]);
            lay.parent[k] = p;
            lay.childPos[k] = count[p];
            count[p] += 1;
        }
        uint256 off;
        for (uint256 b = 0; b < n; b++) {
            lay.childStart[b + 1] = lay.childStart[b] + count[b];
            lay.busOffset[b] = off;
            off += ((b == 0 ? 1 : 4) + 2 * count[b]) * tc;
        }
        for (uint256 k = 1; k < n; k++) {
            uint256 p = lay.parent[k];
            lay.childList[lay.childStart[p] + lay.childPos[k]] = k;
        }
        lay.localTotal = off;
        lay.entryPeriods = (3 * n - 2) * tc;
        lay.dualTotal = (3 * n - 3) * tc;
    }

    // ----- codec -----

    /// @dev Value i of a zig-zag int64 payload: w = 8 big-endian bytes, v = (w >> 1) ^ -(w & 1).
    function load(bytes calldata data, uint256 i) internal pure returns (int256 v) {
        assembly {
            let w := shr(192, calldataload(add(data.offset, shl(3, i))))
            v := xor(shr(1, w), sub(0, and(w, 1)))
        }
    }

    /// @dev Writes value i (already range-checked) zig-zag encoded; the 24 bytes written past
    ///      it are overwritten by the next value or lie in the buffer's slack.
    function store(bytes memory buf, uint256 i, int256 v) internal pure {
        assembly ("memory-safe") {
            let w := xor(shl(1, v), sar(255, v))
            mstore(add(add(buf, 0x20), shl(3, i)), shl(192, w))
        }
    }

    function checked(uint256 index, int256 v) internal pure returns (int256) {
        if (v < type(int64).min || v > type(int64).max) revert AdmmCoordinatorValueOutOfRange(index, v);
        return v;
    }

    /// @dev keccak256 of a calldata slice through scratch memory (the free pointer is not moved).
    function hashCalldata(bytes calldata data) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, data.offset, data.length)
            h := keccak256(ptr, data.length)
        }
    }

    /// @dev A chunk's state hash: keccak(keccak(z bytes) || keccak(dual bytes)).
    function chunkHash(bytes calldata z, bytes calldata duals) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hashCalldata(z), hashCalldata(duals)));
    }

    function newBuffer(uint256 values) internal pure returns (bytes memory buf) {
        buf = new bytes(8 * values + 32);
        assembly ("memory-safe") {
            mstore(buf, shl(3, values))
        }
    }

    /// @dev The chunk's slice of the initial z (global order e*T + t) with all duals zero.
    function initialChunkHash(bytes memory z0, uint256 n, uint256 t, uint256 t0, uint256 tc, uint256 dualsPerPeriod)
        internal
        pure
        returns (bytes32)
    {
        uint256 entries = 3 * n - 2;
        bytes memory z = new bytes(8 * entries * tc);
        for (uint256 e = 0; e < entries; e++) {
            for (uint256 j = 0; j < 8 * tc; j++) z[8 * e * tc + j] = z0[8 * (e * t + t0) + j];
        }
        return keccak256(abi.encodePacked(keccak256(z), keccak256(new bytes(8 * dualsPerPeriod * tc))));
    }

    // ----- the coordinator step, steps 1-4 (docs/admm-protocol.md §Fixed point) -----

    struct Cursor {
        uint256 zi;
        uint256 di;
    }

    /// @notice Over-relaxation, averaging (eq. 16), dual update (eq. 17) and the squared sums of
    ///         eq. 18-19 for one chunk; returns the sums, the new z bytes and the new chunk hash.
    function step(Layout memory lay, StepParams memory sp, bytes calldata x, bytes calldata zPrev, bytes calldata dualsPrev)
        internal
        pure
        returns (Sums memory sums, bytes memory zNext, bytes32 newHash)
    {
        zNext = newBuffer(lay.entryPeriods);
        bytes memory dualsNext = newBuffer(lay.dualTotal);
        uint256 tc = lay.tc;
        uint256[] memory bases = new uint256[](lay.n + 1);
        Cursor memory cur;
        for (uint256 i = 0; i < lay.n; i++) {
            uint256 own = lay.busOffset[i];
            if (i > 0) {
                // Flow copies in increasing bus order: at the parent (child block), then own.
                uint256 p = lay.parent[i];
                uint256 atParent = lay.busOffset[p] + ((p == 0 ? 1 : 4) + 2 * lay.childPos[i]) * tc;
                for (uint256 q = 0; q < 2; q++) {
                    bases[0] = atParent + q * tc;
                    bases[1] = own + q * tc;
                    _entry(bases, 2, tc, sp, x, zPrev, dualsPrev, zNext, dualsNext, sums, cur);
                }
            }
            // voltageSq_i: own copy, then each child's parent-voltage copy.
            bases[0] = own + (i == 0 ? 0 : 2) * tc;
            uint256 ne = 1;
            for (uint256 c = lay.childStart[i]; c < lay.childStart[i + 1]; c++) {
                bases[ne++] = lay.busOffset[lay.childList[c]] + 3 * tc;
            }
            _entry(bases, ne, tc, sp, x, zPrev, dualsPrev, zNext, dualsNext, sums, cur);
        }
        newHash = keccak256(abi.encodePacked(keccak256(zNext), keccak256(dualsNext)));
    }

    function _entry(
        uint256[] memory bases, uint256 ne, uint256 tc, StepParams memory sp, bytes calldata x, bytes calldata zPrev,
        bytes calldata dualsPrev, bytes memory zNext, bytes memory dualsNext, Sums memory sums, Cursor memory cur
    ) private pure {
        int256 alpha = sp.alpha;
        int256 beta = S - alpha;
        int256 rho = sp.rho;
        int256 n = int256(ne);
        uint256 zi = cur.zi;
        uint256 di = cur.di;
        uint256 r2;
        uint256 x2;
        uint256 xi2;
        uint256 s2;
        uint256 bz2;
        unchecked {
            for (uint256 tt = 0; tt < tc; tt++) {
                int256 zOld = load(zPrev, zi);
                int256 sum = 0;
                for (uint256 q = 0; q < ne; q++) sum += (alpha * load(x, bases[q] + tt) + beta * zOld) / S;
                int256 zNew = checked(zi, sum / n);
                store(zNext, zi, zNew);
                int256 lastSum = 0;
                for (uint256 q = 0; q < ne; q++) {
                    int256 xq = load(x, bases[q] + tt);
                    int256 dx = xq - zNew;
                    r2 += uint256(dx * dx);
                    x2 += uint256(xq * xq);
                    if (q + 1 < ne) {
                        int256 xh = (alpha * xq + beta * zOld) / S;
                        int256 xi = checked(di, load(dualsPrev, di) + rho * (xh - zNew) / S);
                        store(dualsNext, di, xi);
                        di++;
                        lastSum += xi;
                        xi2 += uint256(xi * xi);
                    }
                }
                // The last copy's dual is minus the others' (the duals of an entry sum to zero).
                int256 last = checked(di, -lastSum);
                xi2 += uint256(last * last);
                int256 d = rho * (zNew - zOld) / S;
                s2 += uint256(n * d * d);
                bz2 += uint256(n * zNew * zNew);
                zi++;
            }
        }
        cur.zi = zi;
        cur.di = di;
        sums.r2 += r2;
        sums.s2 += s2;
        sums.x2 += x2;
        sums.bz2 += bz2;
        sums.xi2 += xi2;
    }
}
