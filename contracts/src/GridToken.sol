// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title GridToken
/// @notice The settlement currency of a gridconsensus microgrid in tests and local runs:
///         a plain ERC-20 with 18 decimals (1 token = 1 currency unit), minted by its deployer.
/// @dev 18 decimals make nano-energy x nano-price exactly one token base unit (docs/billing.md).
contract GridToken is ERC20 {
    address public immutable minter;

    error GridTokenNotMinter(address caller);

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {
        minter = msg.sender;
    }

    /// @notice Create `amount` base units for `to` (test and demo funding only).
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert GridTokenNotMinter(msg.sender);
        _mint(to, amount);
    }
}
