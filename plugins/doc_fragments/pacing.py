# Copyright: Contributors to the ccaas.connect collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The pacing options of every ccaas.connect module that calls Amazon Connect, reads and writes alike
    # (PACING_OPTIONS in plugins/module_utils/_client.py, the one client path).
    DOCUMENTATION = r"""
options:
  api_rates:
    description:
      - The account's Amazon Connect API request quotas where they differ from the documented defaults,
        per API name. A number is requests per second; a dictionary gives C(rate) and C(burst).
      - The module paces every API call it makes, reads as well as writes and retries included, at these
        rates so it is not throttled. Set it with C(module_defaults) for a whole play when your account has
        raised quotas.
      - These values are taken as given; O(api_rate_factor) does not scale them.
    type: dict
  api_rate_factor:
    description:
      - Multiplies the documented default rates and bursts (an account with uniformly raised quotas,
        or the emulator run with C(--throttle FACTOR)). V(0) turns pacing off.
    type: float
    default: 1.0
  api_bucket_start:
    description:
      - How full each API's token bucket is when the module starts.
      - V(full) lets the first calls of each API go at once, up to its burst. Right for a task that is the first
        in a while to call the account's APIs.
      - V(empty) lets each bucket fill at the API's rate from the moment the module starts, for a task that
        continues a run. The task before it may have drained Amazon's bucket moments ago, and a full start would
        spend a burst Amazon no longer holds, a burst's worth of throttled calls at every chunk boundary. It costs
        at most one burst's worth of time per API (burst over rate, 2.5 s at the default quotas).
      - The C(ccaas.connect.import) role sets V(empty) on every import task (its preflight has read the target
        just before), and the C(ccaas.connect.verify) role when it follows an import in the same play.
    type: str
    choices: [full, empty]
    default: full
notes:
  - Amazon throttles each Connect API per account and Region with a token bucket. The module keeps one bucket per
    API at its quota (the documented defaults, scaled by O(api_rate_factor), or O(api_rates)) and takes a token
    before every HTTP attempt, so it goes at the quota without collecting throttling errors.
"""
