"""recognise"""
