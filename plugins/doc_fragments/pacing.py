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
notes:
  - Amazon throttles each Connect API per account and Region with a token bucket. The module keeps one bucket per
    API at its quota (the documented defaults, scaled by O(api_rate_factor), or O(api_rates)) and takes a token
    before every HTTP attempt, so it goes at the quota without collecting throttling errors.
"""
