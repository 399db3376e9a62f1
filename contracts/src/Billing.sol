// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @notice What Billing needs from the ADMM coordinator (S1): the final schedule commitment.
interface IScheduleCommitment {
    function scheduleRoot() external view returns (bytes32);
    function isFinal() external view returns (bool);
}

/// @title Billing (S2)
/// @notice Settles each participant-day from a meter-signed EIP-712 reading and the participant's
///         schedule slice proven against S1's final Merkle root (docs/billing.md is the rule book).
/// @dev Money is exact: energy (p.u.h x 1e9) times price (currency per p.u.h x 1e9) is an amount
///      at scale 1e18, which is exactly one base unit of an 18-decimal token. Every credit to a
///      participant is a debit of the surplus account and vice versa, so balances + surplus only
///      change through deposits and withdrawals.
contract Billing is EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice A meter's day reading: energy per period, p.u.h x 1e9, positive = exported to the grid.
    struct MeterReading {
        uint16 bus;
        uint32 day;
        uint64 nonce;
        int64[] energy;
    }

    /// @notice One Merkle leaf of S1's final schedule: net injection (p.u. x 1e9, positive = the bus
    ///         injects) and DLMP (currency per p.u.h x 1e9) per period.
    struct ScheduleSlice {
        uint16 bus;
        address participant;
        int64[] netInjection;
        int64[] dlmp;
    }

    /// @dev One storage slot: a registered meter key.
    struct Meter {
        address participant;
        uint16 bus;
        uint64 lastNonce;
        bool active;
    }

    bytes32 public constant METER_READING_TYPEHASH =
        keccak256("MeterReading(uint16 bus,uint32 day,uint64 nonce,int64[] energy)");
    int256 private constant SCALE = 1e9;

    IERC20 public immutable token;
    address public immutable operator;
    uint256 public immutable periods;
    /// @notice Period length in hours x 1e9 (scheduled energy = net injection x period length).
    int256 public immutable periodHoursNano;
    /// @notice Deviation penalty in token base units per (p.u.h x 1e9) of |metered - scheduled|.
    uint256 public immutable penaltyRateNano;
    /// @notice Largest accepted |energy| per period in a reading (p.u.h x 1e9).
    uint256 public immutable maxAbsEnergy;

    mapping(address meter => Meter) public meters;
    mapping(uint16 bus => address meter) public meterOfBus;
    mapping(uint32 day => bytes32 root) public dayRoot;
    mapping(uint32 day => mapping(uint256 word => uint256 bits)) private settledWords;
    mapping(address account => uint256 amount) public balanceOf;
    /// @notice The surplus account: merchandising surplus plus penalties, in token base units.
    ///         May dip below zero within a day when producers settle before consumers.
    int256 public surplus;

    event MeterRegistered(address indexed meter, uint16 indexed bus, address indexed participant);
    event MeterRevoked(address indexed meter, uint16 indexed bus);
    event DayBound(uint32 indexed day, address indexed source, bytes32 root);
    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event SurplusWithdrawn(address indexed to, uint256 amount);
    event ParticipantDaySettled(
        uint32 indexed day,
        uint16 indexed bus,
        address indexed participant,
        int256 scheduledValue,
        int256 deviationValue,
        uint256 penalty,
        int256 net
    );

    error BillingNotOperator(address caller);
    error BillingZeroAddress();
    error BillingZeroAmount();
    error BillingInvalidConfig();
    error BillingUnknownMeter(address meter);
    error BillingMeterAlreadyRegistered(address meter);
    error BillingMeterNotForBus(address meter, uint16 meterBus, uint16 givenBus);
    error BillingParticipantMismatch(address registered, address inSchedule);
    error BillingBadSignature(uint8 reason);
    error BillingWrongSigner(address meter, address recovered);
    error BillingReplayedReading(address meter, uint64 lastNonce, uint64 nonce);
    error BillingScheduleNotFinal(uint32 day);
    error BillingDayAlreadyBound(uint32 day);
    error BillingAlreadySettled(uint32 day, uint16 bus);
    error BillingBadProof(uint32 day, uint16 bus);
    error BillingWrongPeriodCount(uint256 expected, uint256 got);
    error BillingValueOutOfRange(uint256 period, int256 value);
    error BillingInsufficientBalance(address account, uint256 balance, uint256 needed);

    modifier onlyOperator() {
        if (msg.sender != operator) revert BillingNotOperator(msg.sender);
        _;
    }

    constructor(
        IERC20 token_,
        uint256 periods_,
        int256 periodHoursNano_,
        uint256 penaltyRateNano_,
        uint256 maxAbsEnergy_
    ) EIP712("gridconsensus Billing", "1") {
        if (address(token_) == address(0)) revert BillingZeroAddress();
        // int64 energies bound maxAbsEnergy; the period length must be positive and at most a day.
        if (periods_ == 0 || periodHoursNano_ <= 0 || periodHoursNano_ > 24 * SCALE) revert BillingInvalidConfig();
        if (maxAbsEnergy_ == 0 || maxAbsEnergy_ > uint256(int256(type(int64).max))) revert BillingInvalidConfig();
        if (penaltyRateNano_ > uint256(int256(type(int64).max))) revert BillingInvalidConfig();
        token = token_;
        operator = msg.sender;
        periods = periods_;
        periodHoursNano = periodHoursNano_;
        penaltyRateNano = penaltyRateNano_;
        maxAbsEnergy = maxAbsEnergy_;
    }

    // ----- operator: meters and days -----

    /// @notice Register `meter` as the one key of `bus`, billing `participant`; replaces (revokes)
    ///         the bus's previous key, so this is also key rotation.
    function registerMeter(address meter, uint16 bus, address participant) external onlyOperator {
        if (meter == address(0) || participant == address(0)) revert BillingZeroAddress();
        Meter storage m = meters[meter];
        if (m.active) revert BillingMeterAlreadyRegistered(meter);
        address previous = meterOfBus[bus];
        if (previous != address(0)) _revoke(previous);
        // lastNonce survives re-registration so old readings of this key stay unusable.
        m.participant = participant;
        m.bus = bus;
        m.active = true;
        meterOfBus[bus] = meter;
        emit MeterRegistered(meter, bus, participant);
    }

    /// @notice Revoke `meter`: its readings are refused from now on.
    function revokeMeter(address meter) external onlyOperator {
        if (!meters[meter].active) revert BillingUnknownMeter(meter);
        _revoke(meter);
    }

    /// @notice Bind `day` to the final schedule root of S1 contract `source` (once per day).
    function bindDay(uint32 day, IScheduleCommitment source) external onlyOperator {
        if (dayRoot[day] != bytes32(0)) revert BillingDayAlreadyBound(day);
        if (!source.isFinal()) revert BillingScheduleNotFinal(day);
        bytes32 root = source.scheduleRoot();
        if (root == bytes32(0)) revert BillingScheduleNotFinal(day);
        dayRoot[day] = root;
        emit DayBound(day, address(source), root);
    }

    // ----- funds -----

    /// @notice Move `amount` token base units from the caller into their billing balance.
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert BillingZeroAmount();
        balanceOf[msg.sender] += amount;
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Deposited(msg.sender, amount);
    }

    /// @notice Pull `amount` of the caller's balance out (checks, effects, then the transfer).
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert BillingZeroAmount();
        uint256 balance = balanceOf[msg.sender];
        if (balance < amount) revert BillingInsufficientBalance(msg.sender, balance, amount);
        balanceOf[msg.sender] = balance - amount;
        token.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Pay out `amount` of a positive surplus to `to` (the operator's treasury).
    function withdrawSurplus(address to, uint256 amount) external onlyOperator nonReentrant {
        if (to == address(0)) revert BillingZeroAddress();
        if (amount == 0) revert BillingZeroAmount();
        int256 current = surplus;
        if (current < 0 || uint256(current) < amount) {
            revert BillingInsufficientBalance(address(this), current < 0 ? 0 : uint256(current), amount);
        }
        surplus = current - int256(amount);
        token.safeTransfer(to, amount);
        emit SurplusWithdrawn(to, amount);
    }

    // ----- settlement -----

    /// @notice Settle one participant-day. Anyone may submit: the meter's signature and the
    ///         Merkle proof carry the authority.
    function settleParticipantDay(
        address meter,
        MeterReading calldata reading,
        bytes calldata signature,
        ScheduleSlice calldata slice,
        bytes32[] calldata proof
    ) external {
        _checkReading(meter, reading, signature, slice);
        _markSettled(reading.day, slice, proof);
        (int256 scheduledValue, int256 deviationValue, uint256 penalty) = _charges(reading.energy, slice);
        meters[meter].lastNonce = reading.nonce;
        _book(reading.day, slice, scheduledValue, deviationValue, penalty);
    }

    /// @notice Whether `bus` has been settled for `day`.
    function isSettled(uint32 day, uint16 bus) external view returns (bool) {
        return settledWords[day][uint256(bus) >> 8] & (uint256(1) << (uint256(bus) & 255)) != 0;
    }

    /// @notice The EIP-712 digest a meter signs for `reading`.
    function readingDigest(MeterReading calldata reading) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    METER_READING_TYPEHASH,
                    reading.bus,
                    reading.day,
                    reading.nonce,
                    keccak256(abi.encodePacked(reading.energy))
                )
            )
        );
    }

    /// @notice The Merkle leaf of a schedule slice (double keccak, OpenZeppelin's leaf convention).
    function scheduleLeaf(ScheduleSlice calldata slice) public pure returns (bytes32) {
        return keccak256(
            bytes.concat(keccak256(abi.encode(slice.bus, slice.participant, slice.netInjection, slice.dlmp)))
        );
    }

    // ----- internals -----

    function _revoke(address meter) private {
        Meter storage m = meters[meter];
        m.active = false;
        if (meterOfBus[m.bus] == meter) meterOfBus[m.bus] = address(0);
        emit MeterRevoked(meter, m.bus);
    }

    /// @dev Who may report for whom, the shape of the data, the signature and the nonce.
    function _checkReading(
        address meter,
        MeterReading calldata reading,
        bytes calldata signature,
        ScheduleSlice calldata slice
    ) private view {
        Meter memory m = meters[meter];
        if (!m.active) revert BillingUnknownMeter(meter);
        if (reading.bus != m.bus) revert BillingMeterNotForBus(meter, m.bus, reading.bus);
        if (slice.bus != m.bus) revert BillingMeterNotForBus(meter, m.bus, slice.bus);
        if (slice.participant != m.participant) revert BillingParticipantMismatch(m.participant, slice.participant);
        uint256 n = periods;
        if (reading.energy.length != n) revert BillingWrongPeriodCount(n, reading.energy.length);
        if (slice.netInjection.length != n) revert BillingWrongPeriodCount(n, slice.netInjection.length);
        if (slice.dlmp.length != n) revert BillingWrongPeriodCount(n, slice.dlmp.length);
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(readingDigest(reading), signature);
        if (err != ECDSA.RecoverError.NoError) revert BillingBadSignature(uint8(err));
        if (recovered != meter) revert BillingWrongSigner(meter, recovered);
        if (reading.nonce <= m.lastNonce) revert BillingReplayedReading(meter, m.lastNonce, reading.nonce);
    }

    /// @dev Per period t: scheduled energy s = trunc(p * dt / 1e9); the schedule settles at the DLMP
    ///      (lambda * s), the deviation d = metered - s at the DLMP (lambda * d), and the penalty is
    ///      penaltyRate * |d|. Positive values are credits to the participant.
    function _charges(int64[] calldata energy, ScheduleSlice calldata slice)
        private
        view
        returns (int256 scheduledValue, int256 deviationValue, uint256 penalty)
    {
        int256 dt = periodHoursNano;
        int256 maxE = int256(maxAbsEnergy);
        int64[] calldata power = slice.netInjection;
        int64[] calldata price = slice.dlmp;
        uint256 absDeviation;
        uint256 n = energy.length;
        for (uint256 t = 0; t < n; ++t) {
            int256 metered = energy[t];
            if (metered > maxE || metered < -maxE) revert BillingValueOutOfRange(t, metered);
            int256 scheduled = dt == SCALE ? int256(power[t]) : (int256(power[t]) * dt) / SCALE;
            // int64 x int64 products and 24-ish of their sums stay far inside int256.
            unchecked {
                int256 deviation = metered - scheduled;
                scheduledValue += price[t] * scheduled;
                deviationValue += price[t] * deviation;
                absDeviation += uint256(deviation < 0 ? -deviation : deviation);
            }
        }
        penalty = absDeviation * penaltyRateNano;
    }

    /// @dev The day must be bound to a final root, the bus not yet settled, the slice in the tree.
    function _markSettled(uint32 day, ScheduleSlice calldata slice, bytes32[] calldata proof) private {
        bytes32 root = dayRoot[day];
        if (root == bytes32(0)) revert BillingScheduleNotFinal(day);
        uint256 word = uint256(slice.bus) >> 8;
        uint256 bit = uint256(1) << (uint256(slice.bus) & 255);
        uint256 settled = settledWords[day][word];
        if (settled & bit != 0) revert BillingAlreadySettled(day, slice.bus);
        if (!MerkleProof.verifyCalldata(proof, root, _leafOfCanonicalSlice(slice))) revert BillingBadProof(day, slice.bus);
        settledWords[day][word] = settled | bit;
    }

    /// @dev scheduleLeaf without re-encoding: a canonically encoded calldata slice of `periods`
    ///      values per vector is byte for byte abi.encode(bus, participant, netInjection, dlmp).
    ///      Any other encoding (offsets, dirty high bits) hashes differently and fails the proof.
    function _leafOfCanonicalSlice(ScheduleSlice calldata slice) private view returns (bytes32 leaf) {
        uint256 size = (6 + 2 * periods) * 32;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, slice, size)
            mstore(0, keccak256(ptr, size))
            leaf := keccak256(0, 32)
        }
    }

    /// @dev Move the net amount from the surplus account to the participant (or back when
    ///      negative); one side's credit is always the other side's debit.
    function _book(
        uint32 day,
        ScheduleSlice calldata slice,
        int256 scheduledValue,
        int256 deviationValue,
        uint256 penalty
    ) private {
        int256 net = scheduledValue + deviationValue - int256(penalty);
        address participant = slice.participant;
        uint256 balance = balanceOf[participant];
        if (net < 0) {
            uint256 owed = uint256(-net);
            if (balance < owed) revert BillingInsufficientBalance(participant, balance, owed);
            balanceOf[participant] = balance - owed;
        } else {
            balanceOf[participant] = balance + uint256(net);
        }
        surplus -= net;
        emit ParticipantDaySettled(day, slice.bus, participant, scheduledValue, deviationValue, penalty, net);
    }
}
