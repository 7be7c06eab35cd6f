"""The demo: Pemerintah Kota Bandung (DEMO) as it stood at Triwulan II 2025.

`data` holds what the demo is made of (units, people, who answers which indicator, the
answers themselves, the published history); `loader` writes it through the services, so its
audit trail is real. `monev demo` is the command.
"""
