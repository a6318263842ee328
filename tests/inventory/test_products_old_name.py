"""``inventory.products`` (product facts) was ``inventory.catalog``; the old import path still
gives the very same objects, and "catalogue" is left to the rule catalogue (compat.RULES)."""

from vmotion_core.inventory import catalog, products


def test_old_import_path_gives_the_same_objects():
    assert products.__all__
    for name in products.__all__:
        assert getattr(catalog, name) is getattr(products, name), name


def test_the_old_name_is_not_a_second_api_page():
    assert not hasattr(catalog, "__all__")  # documented once, under products
